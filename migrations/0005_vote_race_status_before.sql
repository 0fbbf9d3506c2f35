-- The status a vote's race had before the vote moved it to 'endorsement_open', so that
-- cancelling the vote puts the race back where it was (a race 'not_endorsed' by an earlier
-- vote is 'not_endorsed' again) instead of always to 'exploring'.
--
-- NULL: not known (a vote created before this column, whose creation the audit log below
-- does not account for); cancelling such a vote sets its race to 'exploring', as before.

ALTER TABLE votes ADD COLUMN race_status_before TEXT
    CHECK (race_status_before IS NULL
           OR race_status_before IN ('exploring', 'endorsement_open', 'endorsed',
                                     'not_endorsed', 'won', 'lost', 'withdrawn'));

-- Votes still running when this release is installed: creating one wrote the audit entry
-- "status: <before> -> endorsement_open" for its race at the vote's own created_at.
UPDATE votes
SET race_status_before = (
    SELECT substr(a.detail, 9, instr(a.detail, ' -> ') - 9)
    FROM audit_log a
    WHERE a.guild_id = votes.guild_id
      AND a.subject = 'race:' || votes.race_id
      AND a.action = 'race.status'
      AND a.at = votes.created_at
      AND a.detail LIKE 'status: % -> endorsement_open'
      AND substr(a.detail, 9, instr(a.detail, ' -> ') - 9)
          IN ('exploring', 'endorsed', 'not_endorsed', 'won', 'lost', 'withdrawn')
    ORDER BY a.id DESC
    LIMIT 1
)
WHERE state IN ('scheduled', 'open') AND cancelled_at IS NULL;
