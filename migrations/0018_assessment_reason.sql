-- The committee's reason when it judges "worked with the chapter" otherwise than the
-- candidate's record in office says (issue 29): kept beside the judgement it explains.
ALTER TABLE candidate_assessments ADD COLUMN worked_reason TEXT NOT NULL DEFAULT '';
