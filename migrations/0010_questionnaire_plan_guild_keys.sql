-- Questionnaires and plans refer to their parent rows by (guild_id, id), as votes and races
-- do: a row can point only at a row of its own chapter, and the database itself refuses a
-- cross-chapter id, not only each query's `guild_id = ?`.
--
-- SQLite cannot change a table's foreign keys in place, so questionnaires, their answers
-- and plan reminders are rebuilt: create the new table, copy every row, drop the old one,
-- rename the new one, recreate its indexes. bot/db/migrate.py runs this with foreign keys
-- off (dropping a parent would otherwise cascade to its children) and checks every key
-- before the COMMIT. A child's guild_id is copied from its parent, so a row is kept, and
-- made consistent, even if an old bug had stored another chapter there.

-- Parents of the new composite keys: (guild_id, id) must be unique for a key to name it.
CREATE UNIQUE INDEX questionnaire_templates_guild_id ON questionnaire_templates (guild_id, id);
CREATE UNIQUE INDEX scheduled_jobs_guild_id ON scheduled_jobs (guild_id, id);

CREATE TABLE questionnaires_new (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    race_id         INTEGER NOT NULL,
    candidate_id    INTEGER NOT NULL,
    template_id     INTEGER NOT NULL,
    red_lines       TEXT    NOT NULL,   -- JSON: the red lines as asked when it was sent
    respondent_id   INTEGER NOT NULL,   -- who may fill it: the candidate, or a committee member
    reached_via     TEXT    NOT NULL CHECK (reached_via IN ('dm', 'server', 'committee')),
    deadline        TEXT,               -- UTC ISO 8601
    status          TEXT    NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'submitted', 'published')),
    sent_by         INTEGER NOT NULL,
    sent_at         TEXT    NOT NULL,
    submitted_at    TEXT,
    submitted_by    INTEGER,
    published_at    TEXT,
    published_by    INTEGER,
    post_channel_id INTEGER,            -- where the published answers were posted (0009)
    post_message_id INTEGER,
    FOREIGN KEY (guild_id, race_id) REFERENCES races (guild_id, id),
    FOREIGN KEY (guild_id, candidate_id) REFERENCES candidates (guild_id, id),
    FOREIGN KEY (guild_id, template_id) REFERENCES questionnaire_templates (guild_id, id),
    UNIQUE (guild_id, candidate_id),
    UNIQUE (guild_id, id)
);
INSERT INTO questionnaires_new (id, guild_id, race_id, candidate_id, template_id, red_lines,
    respondent_id, reached_via, deadline, status, sent_by, sent_at, submitted_at,
    submitted_by, published_at, published_by, post_channel_id, post_message_id)
SELECT id, guild_id, race_id, candidate_id, template_id, red_lines, respondent_id,
    reached_via, deadline, status, sent_by, sent_at, submitted_at, submitted_by,
    published_at, published_by, post_channel_id, post_message_id
FROM questionnaires;
DROP TABLE questionnaires;
ALTER TABLE questionnaires_new RENAME TO questionnaires;
CREATE INDEX questionnaires_by_race ON questionnaires (guild_id, race_id);

CREATE TABLE questionnaire_answers_new (
    guild_id         INTEGER NOT NULL,
    questionnaire_id INTEGER NOT NULL,
    key              TEXT    NOT NULL,
    value            TEXT    NOT NULL,   -- as typed or picked, even when invalid
    valid            INTEGER NOT NULL CHECK (valid IN (0, 1)),
    entered_by       INTEGER NOT NULL,   -- the candidate, or the committee member typing for them
    updated_at       TEXT    NOT NULL,
    PRIMARY KEY (questionnaire_id, key),
    FOREIGN KEY (guild_id, questionnaire_id) REFERENCES questionnaires (guild_id, id)
        ON DELETE CASCADE
);
INSERT INTO questionnaire_answers_new (guild_id, questionnaire_id, key, value, valid,
    entered_by, updated_at)
SELECT coalesce((SELECT q.guild_id FROM questionnaires q WHERE q.id = a.questionnaire_id),
                a.guild_id),
    a.questionnaire_id, a.key, a.value, a.valid, a.entered_by, a.updated_at
FROM questionnaire_answers a;
DROP TABLE questionnaire_answers;
ALTER TABLE questionnaire_answers_new RENAME TO questionnaire_answers;

-- A reminder names its job, its milestone and the summary that listed it, all in its chapter.
-- No ON DELETE on the jobs: job rows are never deleted (a cancelled one is settled), and SET
-- NULL would have to null guild_id too.
CREATE TABLE plan_reminders_new (
    job_id        INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    milestone_id  INTEGER NOT NULL,
    days_before   INTEGER NOT NULL CHECK (days_before >= 0),
    summarised_by INTEGER,   -- the job whose one "missed reminders" message listed this one
    FOREIGN KEY (guild_id, job_id) REFERENCES scheduled_jobs (guild_id, id),
    FOREIGN KEY (guild_id, milestone_id) REFERENCES plan_milestones (guild_id, id)
        ON DELETE CASCADE,
    FOREIGN KEY (guild_id, summarised_by) REFERENCES scheduled_jobs (guild_id, id)
);
INSERT INTO plan_reminders_new (job_id, guild_id, milestone_id, days_before, summarised_by)
SELECT r.job_id,
    coalesce((SELECT m.guild_id FROM plan_milestones m WHERE m.id = r.milestone_id), r.guild_id),
    r.milestone_id, r.days_before, r.summarised_by
FROM plan_reminders r;
DROP TABLE plan_reminders;
ALTER TABLE plan_reminders_new RENAME TO plan_reminders;
CREATE INDEX plan_reminders_by_milestone ON plan_reminders (guild_id, milestone_id);
CREATE INDEX plan_reminders_by_summary ON plan_reminders (summarised_by);
