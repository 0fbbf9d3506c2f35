-- The invisible primary: who the chapter asks to back its candidate in a race, and how many
-- of each kind it aims to win. Both refer to the race by (guild_id, id), as every feature
-- table does, so a row can only point at a race of its own chapter.

CREATE TABLE supports (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    race_id     INTEGER NOT NULL,
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    name_key    TEXT    NOT NULL,   -- casefolded, whitespace collapsed, invisible marks removed
    kind        TEXT    NOT NULL
                CHECK (kind IN ('union', 'organisation', 'leader', 'official')),
    status      TEXT    NOT NULL DEFAULT 'to_ask'
                CHECK (status IN ('to_ask', 'asked', 'committed', 'declined', 'other')),
    notes       TEXT    NOT NULL DEFAULT '' CHECK (length(notes) <= 500),  -- committee only
    created_by  INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    updated_by  INTEGER NOT NULL,
    updated_at  TEXT    NOT NULL,
    FOREIGN KEY (guild_id, race_id) REFERENCES races (guild_id, id),
    UNIQUE (guild_id, race_id, name_key),
    UNIQUE (guild_id, id)
);

CREATE TABLE support_targets (
    guild_id    INTEGER NOT NULL,
    race_id     INTEGER NOT NULL,
    kind        TEXT    NOT NULL
                CHECK (kind IN ('union', 'organisation', 'leader', 'official')),
    target      INTEGER NOT NULL CHECK (target BETWEEN 1 AND 1000),
    updated_by  INTEGER NOT NULL,
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, race_id, kind),
    FOREIGN KEY (guild_id, race_id) REFERENCES races (guild_id, id)
);
