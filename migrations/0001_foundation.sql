-- The chapter's configuration, the job table every timer runs from, and the audit log.
-- Every table carries guild_id: one Discord server is one chapter.

CREATE TABLE guild_config (
    guild_id                 INTEGER PRIMARY KEY,
    committee_role_id        INTEGER NOT NULL,
    candidate_role_id        INTEGER,
    announcements_channel_id INTEGER NOT NULL,
    review_channel_id        INTEGER NOT NULL,
    votes_channel_id         INTEGER NOT NULL,
    reminders_channel_id     INTEGER NOT NULL,
    timezone                 TEXT    NOT NULL,
    updated_at               TEXT    NOT NULL,
    updated_by               INTEGER NOT NULL
);

CREATE TABLE guild_member_roles (
    guild_id INTEGER NOT NULL REFERENCES guild_config (guild_id) ON DELETE CASCADE,
    role_id  INTEGER NOT NULL,
    PRIMARY KEY (guild_id, role_id)
);

-- One row per timer (vote close, reminder, weekly job). The scheduler is rebuilt from the
-- pending and running rows at start-up; `running` means claimed before a post to Discord.
CREATE TABLE scheduled_jobs (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    due_at     TEXT    NOT NULL,            -- UTC, ISO 8601
    payload    TEXT    NOT NULL DEFAULT '{}', -- JSON
    state      TEXT    NOT NULL DEFAULT 'pending'
               CHECK (state IN ('pending', 'running', 'done', 'missed', 'failed')),
    outcome    TEXT,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
CREATE INDEX scheduled_jobs_open ON scheduled_jobs (state, due_at);

-- Who did what, for committee accountability. Never holds ballot content.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    actor_id INTEGER NOT NULL,
    action   TEXT    NOT NULL,
    subject  TEXT    NOT NULL DEFAULT '',
    detail   TEXT    NOT NULL DEFAULT '',
    at       TEXT    NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (guild_id, subject, at);
