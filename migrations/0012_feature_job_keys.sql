-- One way to tie a feature's row to the scheduled jobs it made: a `<what>_job_id` column on
-- the row (a link row, like plan_reminders, where one row has many), with
--     FOREIGN KEY (guild_id, <what>_job_id) REFERENCES scheduled_jobs (guild_id, id)
-- so a row can only name a job that exists, in its own chapter. No ON DELETE: job rows are
-- never deleted (a cancelled one is settled), and SET NULL would have to null guild_id too.
-- A job's payload still says which row it serves; the column is what the row knows.
--
-- Votes (open, close, and now the scrub their close or cancel asks for), the chapter's
-- weekly pace job and questionnaires (deadline, report, publish; named only in the job's
-- payload until now) are rebuilt with those keys, keeping every row; existing links are
-- copied, and a questionnaire's are found from its jobs' payloads. bot/db/migrate.py runs
-- this with foreign keys off and checks every key before the COMMIT.

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
    scrub_job_id       INTEGER,                   -- the file scrub its close or cancel asked for
    CHECK ((state = 'cancelled') = (cancelled_at IS NOT NULL)),
    FOREIGN KEY (guild_id, race_id) REFERENCES races (guild_id, id),
    FOREIGN KEY (guild_id, open_job_id) REFERENCES scheduled_jobs (guild_id, id),
    FOREIGN KEY (guild_id, close_job_id) REFERENCES scheduled_jobs (guild_id, id),
    FOREIGN KEY (guild_id, scrub_job_id) REFERENCES scheduled_jobs (guild_id, id),
    UNIQUE (guild_id, id)
);
INSERT INTO votes_new (id, guild_id, race_id, title, method, layout, eligible_role_ids, quorum,
    threshold, no_endorsement, opens_at, closes_at, state, channel_id, message_id, roll_size,
    ballots_cast, opened_at, closed_at, closed_late, closed_by, result, blt_sha256,
    result_message_id, open_job_id, close_job_id, created_by, created_at, seats, several_pass,
    paper_cast, cancelled_at, cancelled_by, cancel_reason, purged_at, purged_by,
    race_status_before, scrub_job_id)
SELECT v.id, v.guild_id, v.race_id, v.title, v.method, v.layout, v.eligible_role_ids, v.quorum,
    v.threshold, v.no_endorsement, v.opens_at, v.closes_at, v.state, v.channel_id, v.message_id,
    v.roll_size, v.ballots_cast, v.opened_at, v.closed_at, v.closed_late, v.closed_by, v.result,
    v.blt_sha256, v.result_message_id,
    (SELECT j.id FROM scheduled_jobs j WHERE j.guild_id = v.guild_id AND j.id = v.open_job_id),
    (SELECT j.id FROM scheduled_jobs j WHERE j.guild_id = v.guild_id AND j.id = v.close_job_id),
    v.created_by, v.created_at, v.seats, v.several_pass, v.paper_cast, v.cancelled_at,
    v.cancelled_by, v.cancel_reason, v.purged_at, v.purged_by, v.race_status_before,
    (SELECT max(j.id) FROM scheduled_jobs j WHERE j.guild_id = v.guild_id
        AND j.kind = 'vote.scrub' AND json_extract(j.payload, '$.vote_id') = v.id)
FROM votes v;
DROP TABLE votes;
ALTER TABLE votes_new RENAME TO votes;
CREATE INDEX votes_by_guild ON votes (guild_id, state);

CREATE TABLE chapter_capacity_new (
    guild_id         INTEGER PRIMARY KEY,
    signups_per_week INTEGER NOT NULL CHECK (signups_per_week >= 1),
    shifts_per_week  REAL    NOT NULL CHECK (shifts_per_week > 0),
    show_rate        REAL    NOT NULL CHECK (show_rate > 0 AND show_rate <= 1),
    doors_per_shift  INTEGER NOT NULL CHECK (doors_per_shift >= 1),
    pace_job_id      INTEGER,  -- the weekly pace job that is to run next
    updated_at       TEXT    NOT NULL,
    updated_by       INTEGER NOT NULL,
    FOREIGN KEY (guild_id, pace_job_id) REFERENCES scheduled_jobs (guild_id, id)
);
INSERT INTO chapter_capacity_new (guild_id, signups_per_week, shifts_per_week, show_rate,
    doors_per_shift, pace_job_id, updated_at, updated_by)
SELECT c.guild_id, c.signups_per_week, c.shifts_per_week, c.show_rate, c.doors_per_shift,
    (SELECT j.id FROM scheduled_jobs j WHERE j.guild_id = c.guild_id AND j.id = c.pace_job_id),
    c.updated_at, c.updated_by
FROM chapter_capacity c;
DROP TABLE chapter_capacity;
ALTER TABLE chapter_capacity_new RENAME TO chapter_capacity;

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
    deadline_job_id INTEGER,            -- the job that tells the committee it is overdue
    report_job_id   INTEGER,            -- the last submit's report to the committee
    publish_job_id  INTEGER,            -- the last publish's post to the votes channel
    FOREIGN KEY (guild_id, race_id) REFERENCES races (guild_id, id),
    FOREIGN KEY (guild_id, candidate_id) REFERENCES candidates (guild_id, id),
    FOREIGN KEY (guild_id, template_id) REFERENCES questionnaire_templates (guild_id, id),
    FOREIGN KEY (guild_id, deadline_job_id) REFERENCES scheduled_jobs (guild_id, id),
    FOREIGN KEY (guild_id, report_job_id) REFERENCES scheduled_jobs (guild_id, id),
    FOREIGN KEY (guild_id, publish_job_id) REFERENCES scheduled_jobs (guild_id, id),
    UNIQUE (guild_id, candidate_id),
    UNIQUE (guild_id, id)
);
INSERT INTO questionnaires_new (id, guild_id, race_id, candidate_id, template_id, red_lines,
    respondent_id, reached_via, deadline, status, sent_by, sent_at, submitted_at,
    submitted_by, published_at, published_by, post_channel_id, post_message_id,
    deadline_job_id, report_job_id, publish_job_id)
SELECT q.id, q.guild_id, q.race_id, q.candidate_id, q.template_id, q.red_lines,
    q.respondent_id, q.reached_via, q.deadline, q.status, q.sent_by, q.sent_at,
    q.submitted_at, q.submitted_by, q.published_at, q.published_by, q.post_channel_id,
    q.post_message_id,
    (SELECT max(j.id) FROM scheduled_jobs j WHERE j.guild_id = q.guild_id
        AND j.kind = 'questionnaire.deadline' AND json_extract(j.payload, '$.sheet_id') = q.id),
    (SELECT max(j.id) FROM scheduled_jobs j WHERE j.guild_id = q.guild_id
        AND j.kind = 'questionnaire.report' AND json_extract(j.payload, '$.sheet_id') = q.id),
    (SELECT max(j.id) FROM scheduled_jobs j WHERE j.guild_id = q.guild_id
        AND j.kind = 'questionnaire.publish' AND json_extract(j.payload, '$.sheet_id') = q.id)
FROM questionnaires q;
DROP TABLE questionnaires;
ALTER TABLE questionnaires_new RENAME TO questionnaires;
CREATE INDEX questionnaires_by_race ON questionnaires (guild_id, race_id);
