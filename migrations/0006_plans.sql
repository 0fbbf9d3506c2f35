-- The cadre race plan (docs/domain.md section 4): one plan per race, its milestones counted back
-- from the race's decisive election, and which scheduled job posts which reminder.
-- Dates (`starts`, `election`, `on_day`, ...) are ISO calendar days in the chapter's timezone.

CREATE TABLE plans (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    race_id       INTEGER NOT NULL,
    starts        TEXT    NOT NULL,
    election      TEXT    NOT NULL,
    compressed    INTEGER NOT NULL CHECK (compressed IN (0, 1)),
    reminder_days TEXT    NOT NULL,   -- "30,7,1": days before each milestone
    reminder_time TEXT    NOT NULL,   -- "10:00", the chapter's local time
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    CHECK (starts < election),
    FOREIGN KEY (guild_id, race_id) REFERENCES races (guild_id, id),
    UNIQUE (guild_id, race_id),
    UNIQUE (guild_id, id)
);

CREATE TABLE plan_milestones (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    plan_id    INTEGER NOT NULL,
    key        TEXT    NOT NULL,   -- the default step it came from, or 'custom'
    name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    on_day     TEXT,               -- NULL: the committee has not entered it yet
    until_day  TEXT,               -- a window's last day
    done_on    TEXT,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    CHECK (until_day IS NULL OR (on_day IS NOT NULL AND until_day >= on_day)),
    FOREIGN KEY (guild_id, plan_id) REFERENCES plans (guild_id, id) ON DELETE CASCADE,
    UNIQUE (guild_id, id)
);
CREATE INDEX plan_milestones_by_plan ON plan_milestones (guild_id, plan_id);

-- One row per reminder job. `summarised_by`: the job whose one "missed reminders" message
-- listed this reminder (a reminder past its grace window is never posted on its own).
CREATE TABLE plan_reminders (
    job_id        INTEGER PRIMARY KEY REFERENCES scheduled_jobs (id),
    guild_id      INTEGER NOT NULL,
    milestone_id  INTEGER NOT NULL REFERENCES plan_milestones (id) ON DELETE CASCADE,
    days_before   INTEGER NOT NULL CHECK (days_before >= 0),
    summarised_by INTEGER REFERENCES scheduled_jobs (id)
);
CREATE INDEX plan_reminders_by_milestone ON plan_reminders (milestone_id);
CREATE INDEX plan_reminders_by_summary ON plan_reminders (summarised_by);
