-- A vote may ask its instant-runoff count to go on until two candidates remain (RCTab's
-- continueUntilTwoCandidatesRemain): the final head-to-head is shown, the winner is the one
-- who first had a majority. 0: stop at the majority (the chapter's default).
ALTER TABLE votes ADD COLUMN continue_until_two INTEGER NOT NULL DEFAULT 0;
