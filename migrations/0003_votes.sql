-- Endorsement votes: the vote, its ballot options, the roll frozen at the open, and the
-- ballots. Who voted (vote_roll.voted) and what was voted (vote_open_ballots while open,
-- vote_ballots after the close) are separate tables that share no column a join could use
-- once the per-vote key (vote_keys) is destroyed at the close.
--
-- Ballot tables are WITHOUT ROWID and keyed by values that say nothing about when a ballot
-- was cast: an HMAC while open, the ranking itself after the close. No ballot table has a
-- timestamp.

CREATE TABLE votes (
    id                INTEGER PRIMARY KEY,
    guild_id          INTEGER NOT NULL,
    race_id           INTEGER NOT NULL,
    title             TEXT    NOT NULL,
    method            TEXT    NOT NULL DEFAULT 'irv',
    layout            TEXT    NOT NULL,           -- domain.votes.layout_of(options)
    eligible_role_ids TEXT    NOT NULL,           -- JSON list of role ids
    quorum            TEXT    NOT NULL,           -- exact fraction "n/d" of the roll
    threshold         TEXT    NOT NULL,           -- exact fraction "n/d"
    no_endorsement    INTEGER NOT NULL CHECK (no_endorsement IN (0, 1)),
    opens_at          TEXT    NOT NULL,           -- UTC ISO 8601
    closes_at         TEXT    NOT NULL,
    state             TEXT    NOT NULL DEFAULT 'scheduled'
                      CHECK (state IN ('scheduled', 'open', 'closed')),
    channel_id        INTEGER NOT NULL,
    message_id        INTEGER,                    -- the announcement with the Vote button
    roll_size         INTEGER,                    -- frozen at the open
    ballots_cast      INTEGER,                    -- frozen at the close
    opened_at         TEXT,
    closed_at         TEXT,
    closed_late       INTEGER NOT NULL DEFAULT 0 CHECK (closed_late IN (0, 1)),
    closed_by         INTEGER,                    -- NULL: the scheduled close
    result            TEXT,                       -- JSON (tally report.result_to_json)
    blt_sha256        TEXT,
    result_message_id INTEGER,
    open_job_id       INTEGER,
    close_job_id      INTEGER,
    created_by        INTEGER NOT NULL,
    created_at        TEXT    NOT NULL,
    FOREIGN KEY (guild_id, race_id) REFERENCES races (guild_id, id),
    UNIQUE (guild_id, id)
);
CREATE INDEX votes_by_guild ON votes (guild_id, state);

CREATE TABLE vote_options (
    guild_id     INTEGER NOT NULL,
    vote_id      INTEGER NOT NULL,
    position     INTEGER NOT NULL,                -- 0-based ballot order
    name         TEXT    NOT NULL,
    candidate_id INTEGER,                         -- NULL for "No endorsement"
    PRIMARY KEY (vote_id, position),
    FOREIGN KEY (guild_id, vote_id) REFERENCES votes (guild_id, id) ON DELETE CASCADE,
    FOREIGN KEY (guild_id, candidate_id) REFERENCES candidates (guild_id, id)
) WITHOUT ROWID;

-- The members holding an eligible role at the open. `voted` is turnout, nothing more.
CREATE TABLE vote_roll (
    guild_id  INTEGER NOT NULL,
    vote_id   INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    voted     INTEGER NOT NULL DEFAULT 0 CHECK (voted IN (0, 1)),
    PRIMARY KEY (vote_id, member_id),
    FOREIGN KEY (guild_id, vote_id) REFERENCES votes (guild_id, id) ON DELETE CASCADE
) WITHOUT ROWID;

-- The per-vote HMAC key; exists only while the vote is open.
CREATE TABLE vote_keys (
    guild_id INTEGER NOT NULL,
    vote_id  INTEGER NOT NULL PRIMARY KEY,
    hmac_key BLOB    NOT NULL,
    FOREIGN KEY (guild_id, vote_id) REFERENCES votes (guild_id, id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Ballots while the vote is open: replaceable through HMAC(key, vote:member).
CREATE TABLE vote_open_ballots (
    guild_id  INTEGER NOT NULL,
    vote_id   INTEGER NOT NULL,
    voter_tag BLOB    NOT NULL,
    ranking   TEXT    NOT NULL,                   -- domain.votes.encode_ranking; '' abstains
    PRIMARY KEY (vote_id, voter_tag),
    FOREIGN KEY (guild_id, vote_id) REFERENCES votes (guild_id, id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Ballots after the close: identical rankings grouped, stored in ranking order.
CREATE TABLE vote_ballots (
    guild_id INTEGER NOT NULL,
    vote_id  INTEGER NOT NULL,
    ranking  TEXT    NOT NULL,
    weight   INTEGER NOT NULL CHECK (weight >= 1),
    PRIMARY KEY (vote_id, ranking),
    FOREIGN KEY (guild_id, vote_id) REFERENCES votes (guild_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
