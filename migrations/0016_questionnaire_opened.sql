-- When the candidate (or the committee member entering for them) first opened the
-- questionnaire: the first press of Start or Resume. `/questionnaire status` tells "sent,
-- not opened" from "opened, nothing saved yet". NULL until then, and kept when it is sent
-- again or reopened (it was opened once; that stays true).

ALTER TABLE questionnaires ADD COLUMN opened_at TEXT;
