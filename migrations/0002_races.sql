-- The race register: races (an office in a district on a date) and their candidates.
--
-- Later features (votes, capacity, plans, questionnaires) reference a race or a candidate
-- with a composite key, e.g.
--     FOREIGN KEY (guild_id, race_id) REFERENCES races (guild_id, id)
-- and WITHOUT `ON DELETE CASCADE`: that both keeps every row in its race's guild and makes
-- deleting a race (or removing a candidate) that a vote or plan refers to fail, so the
-- committee archives it instead (bot/services/races.py turns the failure into that advice).

CREATE TABLE races (
    id                 INTEGER PRIMARY KEY,
    guild_id           INTEGER NOT NULL,
    office             TEXT    NOT NULL CHECK (length(office) BETWEEN 1 AND 80),
    office_kind        TEXT    NOT NULL
                       CHECK (office_kind IN ('executive', 'legislative', 'judicial', 'party',
                                              'other')),
    jurisdiction       TEXT    NOT NULL DEFAULT '',
    ballot_line        TEXT    NOT NULL
                       CHECK (ballot_line IN ('partisan_primary', 'nonpartisan', 'general')),
    seats              INTEGER NOT NULL DEFAULT 1 CHECK (seats >= 1),
    primary_date       TEXT,     -- ISO date, the chapter's local calendar
    general_date       TEXT,     -- ISO date; NULL only for a race decided in its primary
    decided_in_primary INTEGER NOT NULL DEFAULT 0 CHECK (decided_in_primary IN (0, 1)),
    status             TEXT    NOT NULL DEFAULT 'exploring'
                       CHECK (status IN ('exploring', 'endorsement_open', 'endorsed',
                                         'not_endorsed', 'won', 'lost', 'withdrawn')),
    notes              TEXT    NOT NULL DEFAULT '',   -- committee-only
    archived_at        TEXT,     -- UTC ISO 8601; archived races leave lists, never vanish
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    CHECK (primary_date IS NULL OR general_date IS NULL OR primary_date < general_date),
    CHECK (general_date IS NOT NULL OR (decided_in_primary = 1 AND primary_date IS NOT NULL)),
    CHECK (decided_in_primary = 0 OR primary_date IS NOT NULL),
    UNIQUE (guild_id, id)
);
CREATE INDEX races_by_guild ON races (guild_id, archived_at);

CREATE TABLE candidates (
    id                  INTEGER PRIMARY KEY,
    guild_id            INTEGER NOT NULL,
    race_id             INTEGER NOT NULL,
    name                TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    name_key            TEXT    NOT NULL,   -- casefolded, whitespace collapsed
    member_id           INTEGER,            -- NULL: the candidate is not in the server
    incumbent           INTEGER NOT NULL DEFAULT 0 CHECK (incumbent IN (0, 1)),
    previously_endorsed INTEGER NOT NULL DEFAULT 0 CHECK (previously_endorsed IN (0, 1)),
    status              TEXT    NOT NULL DEFAULT 'prospective'
                        CHECK (status IN ('prospective', 'questionnaire_sent', 'submitted',
                                          'endorsed', 'not_endorsed', 'withdrawn')),
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    FOREIGN KEY (guild_id, race_id) REFERENCES races (guild_id, id) ON DELETE CASCADE,
    UNIQUE (race_id, name_key),
    UNIQUE (guild_id, id)
);
CREATE INDEX candidates_by_race ON candidates (guild_id, race_id);
