-- Members checked in at an in-person meeting for a vote (`/vote checkin`): from then on
-- their online ballot is refused, so nobody votes twice. Kept apart from the paper ballots
-- (which carry no voter) and from the online ballots (keyed by HMAC while open): no time,
-- no teller and no rowid (so no order of check-in), so a check-in can never be matched
-- with the paper ranking entered after it. Stripped from backup copies of unclosed votes.
CREATE TABLE vote_checkins (
    guild_id  INTEGER NOT NULL,
    vote_id   INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    PRIMARY KEY (vote_id, member_id),
    FOREIGN KEY (guild_id, vote_id) REFERENCES votes (guild_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
