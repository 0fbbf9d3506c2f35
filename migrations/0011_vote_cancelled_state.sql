-- A cancelled vote gets a state of its own, 'cancelled'. Until now (0004) a cancel was stored
-- as 'closed' plus cancelled_at, and every reader had to remember to look at both; a reader
-- that forgot would count, purge or export a cancelled vote as a closed one.
--
-- 0003's CHECK on `state` cannot grow a value in place, so `votes` is rebuilt: create, copy
-- (turning 'closed' with cancelled_at into 'cancelled'), drop, rename, recreate its index.
-- bot/db/migrate.py runs this with foreign keys off, so dropping the old table leaves its
-- options, roll, keys and ballots alone, and checks every key before the COMMIT.

CREATE TABLE votes_new (
    id                 INTEGER PRIMARY KEY,
    guild_id           INTEGER NOT NULL,
    race_id            INTEGER NOT NULL,
    title              TEXT    NOT NULL,
    method             TEXT    NOT NULL DEFAULT 'irv',
    layout             TEXT    NOT NULL,          -- domain.votes.layout_of(options)
    eligible_role_ids  TEXT    NOT NULL,          -- JSON list of role ids
    quorum             TEXT    NOT NULL,          -- exact fraction "n/d" of the roll
    threshold          TEXT    NOT NULL,          -- exact fraction "n/d"
    no_endorsement     INTEGER NOT NULL CHECK (no_endorsement IN (0, 1)),
    opens_at           TEXT    NOT NULL,          -- UTC ISO 8601
    closes_at          TEXT    NOT NULL,
    state              TEXT    NOT NULL DEFAULT 'scheduled'
                       CHECK (state IN ('scheduled', 'open', 'closed', 'cancelled')),
    channel_id         INTEGER NOT NULL,
    message_id         INTEGER,                   -- the announcement with the Vote button
    roll_size          INTEGER,                   -- frozen at the open
    ballots_cast       INTEGER,                   -- frozen at the close
    opened_at          TEXT,
    closed_at          TEXT,                      -- a cancelled vote: when it was cancelled
    closed_late        INTEGER NOT NULL DEFAULT 0 CHECK (closed_late IN (0, 1)),
    closed_by          INTEGER,                   -- NULL: the scheduled close
    result             TEXT,                      -- JSON (tally report.result_to_json)
    blt_sha256         TEXT,
    result_message_id  INTEGER,
    open_job_id        INTEGER,
    close_job_id       INTEGER,
    created_by         INTEGER NOT NULL,
    created_at         TEXT    NOT NULL,
    seats              INTEGER NOT NULL DEFAULT 1 CHECK (seats >= 1),
    several_pass       TEXT    NOT NULL DEFAULT 'all' CHECK (several_pass IN ('all', 'highest')),
    paper_cast         INTEGER,                   -- frozen at the close
    cancelled_at       TEXT,
    cancelled_by       INTEGER,
    cancel_reason      TEXT,
    purged_at          TEXT,                      -- ballots deleted, result kept
    purged_by          INTEGER,
    race_status_before TEXT
                       CHECK (race_status_before IS NULL
                              OR race_status_before IN ('exploring', 'endorsement_open',
                                  'endorsed', 'not_endorsed', 'won', 'lost', 'withdrawn')),
    -- Who cancelled and when is known exactly for the cancelled votes.
    CHECK ((state = 'cancelled') = (cancelled_at IS NOT NULL)),
    FOREIGN KEY (guild_id, race_id) REFERENCES races (guild_id, id),
    UNIQUE (guild_id, id)
);
INSERT INTO votes_new (id, guild_id, race_id, title, method, layout, eligible_role_ids, quorum,
    threshold, no_endorsement, opens_at, closes_at, state, channel_id, message_id, roll_size,
    ballots_cast, opened_at, closed_at, closed_late, closed_by, result, blt_sha256,
    result_message_id, open_job_id, close_job_id, created_by, created_at, seats, several_pass,
    paper_cast, cancelled_at, cancelled_by, cancel_reason, purged_at, purged_by,
    race_status_before)
SELECT id, guild_id, race_id, title, method, layout, eligible_role_ids, quorum, threshold,
    no_endorsement, opens_at, closes_at,
    CASE WHEN cancelled_at IS NOT NULL THEN 'cancelled' ELSE state END,
    channel_id, message_id, roll_size, ballots_cast, opened_at, closed_at, closed_late,
    closed_by, result, blt_sha256, result_message_id, open_job_id, close_job_id, created_by,
    created_at, seats, several_pass, paper_cast, cancelled_at, cancelled_by, cancel_reason,
    purged_at, purged_by, race_status_before
FROM votes;
DROP TABLE votes;
ALTER TABLE votes_new RENAME TO votes;
CREATE INDEX votes_by_guild ON votes (guild_id, state);
