-- After the win: officials, the chapter's positions, officials' votes on them, SIO meetings.
-- Every table has guild_id and refers to its parents by (guild_id, id), as votes and races do,
-- so a row can only point at a row of its own chapter.

CREATE TABLE officials (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    name          TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    name_key      TEXT    NOT NULL,   -- casefolded, whitespace collapsed
    office        TEXT    NOT NULL CHECK (length(office) BETWEEN 1 AND 120),
    term_start    TEXT    NOT NULL,   -- ISO date, the chapter's local calendar
    term_end      TEXT,               -- NULL: not known yet
    sio_status    TEXT    NOT NULL DEFAULT 'joined'
                  CHECK (sio_status IN ('joined', 'attends', 'left')),
    race_id       INTEGER,            -- the race they won, when entered from it
    candidate_id  INTEGER,
    member_id     INTEGER,            -- their Discord account, if they are in the server
    created_by    INTEGER NOT NULL,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    CHECK (term_end IS NULL OR term_end > term_start),
    FOREIGN KEY (guild_id, race_id) REFERENCES races (guild_id, id),
    FOREIGN KEY (guild_id, candidate_id) REFERENCES candidates (guild_id, id),
    UNIQUE (guild_id, candidate_id),   -- a won race makes its candidate an official once
    UNIQUE (guild_id, id)
);
CREATE INDEX officials_by_name ON officials (guild_id, name_key);

CREATE TABLE positions (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    title       TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    title_key   TEXT    NOT NULL,
    stance      TEXT    NOT NULL CHECK (stance IN ('support', 'oppose')),
    body        TEXT    NOT NULL DEFAULT '',
    link        TEXT    NOT NULL DEFAULT '',
    decided_by  TEXT    NOT NULL DEFAULT '',   -- the chapter vote or meeting that decided it
    created_by  INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    UNIQUE (guild_id, title_key),
    UNIQUE (guild_id, id)
);

CREATE TABLE office_votes (
    id             INTEGER PRIMARY KEY,
    guild_id       INTEGER NOT NULL,
    official_id    INTEGER NOT NULL,
    position_id    INTEGER NOT NULL,
    cast_as        TEXT    NOT NULL CHECK (cast_as IN ('with', 'against', 'abstained', 'absent')),
    voted_on       TEXT    NOT NULL,   -- ISO date
    note           TEXT    NOT NULL DEFAULT '',   -- committee-only
    notice_job_id  INTEGER,            -- the Monday notice that told the committee of it
    recorded_by    INTEGER NOT NULL,
    recorded_at    TEXT    NOT NULL,
    FOREIGN KEY (guild_id, official_id) REFERENCES officials (guild_id, id),
    FOREIGN KEY (guild_id, position_id) REFERENCES positions (guild_id, id),
    FOREIGN KEY (guild_id, notice_job_id) REFERENCES scheduled_jobs (guild_id, id),
    UNIQUE (guild_id, official_id, position_id),
    UNIQUE (guild_id, id)
);
CREATE INDEX office_votes_unnoticed ON office_votes (guild_id, cast_as, notice_job_id);

CREATE TABLE sio_meetings (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    held_on     TEXT    NOT NULL,   -- ISO date
    title       TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    created_by  INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    UNIQUE (guild_id, id)
);

CREATE TABLE sio_attendance (
    guild_id     INTEGER NOT NULL,
    meeting_id   INTEGER NOT NULL,
    official_id  INTEGER NOT NULL,
    PRIMARY KEY (guild_id, meeting_id, official_id),
    FOREIGN KEY (guild_id, meeting_id) REFERENCES sio_meetings (guild_id, id),
    FOREIGN KEY (guild_id, official_id) REFERENCES officials (guild_id, id)
);

-- The chapter's weekly notice of votes against its positions: the job that is to run next.
CREATE TABLE official_notices (
    guild_id  INTEGER PRIMARY KEY,
    job_id    INTEGER NOT NULL,
    FOREIGN KEY (guild_id, job_id) REFERENCES scheduled_jobs (guild_id, id)
);
