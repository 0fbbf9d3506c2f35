-- Where a published questionnaire was posted in the votes channel, so a race's vote
-- announcement can link to the post (a Discord jump URL) rather than only name the
-- `/questionnaire read` command. Written by the publish job once the post is out (or found
-- by its marker after a crash); NULL until then, and cleared when the questionnaire is
-- reopened (its answers may change; a new publish posts again).

ALTER TABLE questionnaires ADD COLUMN post_channel_id INTEGER;
ALTER TABLE questionnaires ADD COLUMN post_message_id INTEGER;
