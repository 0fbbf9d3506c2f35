-- Endorsement votes, part 2: seats and methods beyond instant-runoff, paper ballots,
-- extend/cancel, and ballot retention.
--
-- A cancelled vote keeps state 'closed' (0003's CHECK cannot grow a state without a table
-- rebuild) and is told apart by cancelled_at; store.votes reads it back as 'cancelled'.

ALTER TABLE votes ADD COLUMN seats INTEGER NOT NULL DEFAULT 1 CHECK (seats >= 1);
-- Yes/no: when several candidates pass for one seat, 'all' endorses each of them (dual
-- endorsement), 'highest' only the highest yes share.
ALTER TABLE votes ADD COLUMN several_pass TEXT NOT NULL DEFAULT 'all'
    CHECK (several_pass IN ('all', 'highest'));
ALTER TABLE votes ADD COLUMN paper_cast INTEGER;          -- frozen at the close
ALTER TABLE votes ADD COLUMN cancelled_at TEXT;
ALTER TABLE votes ADD COLUMN cancelled_by INTEGER;
ALTER TABLE votes ADD COLUMN cancel_reason TEXT;
ALTER TABLE votes ADD COLUMN purged_at TEXT;              -- ballots deleted, result kept
ALTER TABLE votes ADD COLUMN purged_by INTEGER;

-- Paper ballots entered by tellers: no voter, no teller, no time; identical rankings
-- grouped and keyed by the ranking, like vote_ballots after the close.
CREATE TABLE vote_paper_ballots (
    guild_id INTEGER NOT NULL,
    vote_id  INTEGER NOT NULL,
    ranking  TEXT    NOT NULL,
    weight   INTEGER NOT NULL CHECK (weight >= 1),
    PRIMARY KEY (vote_id, ranking),
    FOREIGN KEY (guild_id, vote_id) REFERENCES votes (guild_id, id) ON DELETE CASCADE
) WITHOUT ROWID;

-- How long a closed vote's ballots are kept before `/vote purge` may delete them.
CREATE TABLE vote_retention (
    guild_id   INTEGER PRIMARY KEY,
    days       INTEGER NOT NULL CHECK (days >= 0),
    updated_by INTEGER NOT NULL,
    updated_at TEXT    NOT NULL
);
