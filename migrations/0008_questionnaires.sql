-- Candidate questionnaires (docs/domain.md section 1): versioned templates, the chapter's red
-- lines, one questionnaire per candidate with its answers, and the committee's assessment
-- of what a candidate cannot answer. Answers are private to the candidate and the
-- committee until `published_at` is set.

CREATE TABLE questionnaire_templates (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    version    INTEGER NOT NULL CHECK (version >= 1),
    source     TEXT    NOT NULL,   -- the TOML as loaded; answers keep the version they answered
    created_at TEXT    NOT NULL,
    UNIQUE (guild_id, version)
);

CREATE TABLE red_lines (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    question   TEXT    NOT NULL CHECK (length(question) BETWEEN 1 AND 100),
    required   TEXT    NOT NULL CHECK (required IN ('yes', 'no')),
    added_by   INTEGER NOT NULL,
    added_at   TEXT    NOT NULL,
    removed_at TEXT               -- removed lines stay for questionnaires that asked them
);
CREATE INDEX red_lines_by_guild ON red_lines (guild_id, removed_at);

CREATE TABLE questionnaires (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    race_id       INTEGER NOT NULL,
    candidate_id  INTEGER NOT NULL,
    template_id   INTEGER NOT NULL REFERENCES questionnaire_templates (id),
    red_lines     TEXT    NOT NULL,   -- JSON: the red lines as asked when it was sent
    respondent_id INTEGER NOT NULL,   -- who may fill it: the candidate, or a committee member
    reached_via   TEXT    NOT NULL CHECK (reached_via IN ('dm', 'server', 'committee')),
    deadline      TEXT,               -- UTC ISO 8601
    status        TEXT    NOT NULL DEFAULT 'open'
                  CHECK (status IN ('open', 'submitted', 'published')),
    sent_by       INTEGER NOT NULL,
    sent_at       TEXT    NOT NULL,
    submitted_at  TEXT,
    submitted_by  INTEGER,
    published_at  TEXT,
    published_by  INTEGER,
    FOREIGN KEY (guild_id, race_id) REFERENCES races (guild_id, id),
    FOREIGN KEY (guild_id, candidate_id) REFERENCES candidates (guild_id, id),
    UNIQUE (guild_id, candidate_id)
);
CREATE INDEX questionnaires_by_race ON questionnaires (guild_id, race_id);

CREATE TABLE questionnaire_answers (
    guild_id         INTEGER NOT NULL,
    questionnaire_id INTEGER NOT NULL REFERENCES questionnaires (id) ON DELETE CASCADE,
    key              TEXT    NOT NULL,
    value            TEXT    NOT NULL,   -- as typed or picked, even when invalid
    valid            INTEGER NOT NULL CHECK (valid IN (0, 1)),
    entered_by       INTEGER NOT NULL,   -- the candidate, or the committee member typing for them
    updated_at       TEXT    NOT NULL,
    PRIMARY KEY (questionnaire_id, key)
);

CREATE TABLE candidate_assessments (
    guild_id            INTEGER NOT NULL,
    candidate_id        INTEGER NOT NULL,
    prominent           INTEGER CHECK (prominent IN (0, 1)),
    coheres_labor       INTEGER CHECK (coheres_labor IN (0, 1)),
    rooted              INTEGER CHECK (rooted IN (0, 1)),
    viable              INTEGER CHECK (viable IN (0, 1)),
    worked_with_chapter INTEGER CHECK (worked_with_chapter IN (0, 1)),
    updated_by          INTEGER NOT NULL,
    updated_at          TEXT    NOT NULL,
    PRIMARY KEY (guild_id, candidate_id),
    FOREIGN KEY (guild_id, candidate_id) REFERENCES candidates (guild_id, id)
);
