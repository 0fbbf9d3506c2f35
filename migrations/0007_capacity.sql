-- Capacity: what the chapter's canvass can do, each race's figures, and logged canvass shifts.
-- Rates are fractions (0.25 = 25%). NULL in a race's figures means "the model's default"
-- (bot/domain/capacity_defaults.toml), so a better default reaches every race that kept it.

CREATE TABLE chapter_capacity (
    guild_id         INTEGER PRIMARY KEY,
    signups_per_week INTEGER NOT NULL CHECK (signups_per_week >= 1),
    shifts_per_week  REAL    NOT NULL CHECK (shifts_per_week > 0),
    show_rate        REAL    NOT NULL CHECK (show_rate > 0 AND show_rate <= 1),
    doors_per_shift  INTEGER NOT NULL CHECK (doors_per_shift >= 1),
    pace_job_id      INTEGER,  -- the weekly pace job that is to run next
    updated_at       TEXT    NOT NULL,
    updated_by       INTEGER NOT NULL
);

CREATE TABLE race_capacity (
    guild_id       INTEGER NOT NULL,
    race_id        INTEGER NOT NULL,
    turnout        INTEGER CHECK (turnout IS NULL OR turnout >= 1),
    past_turnouts  TEXT    NOT NULL DEFAULT '',  -- up to three, space-separated
    win_rule       TEXT    NOT NULL DEFAULT 'two_way'
                   CHECK (win_rule IN ('two_way', 'crowded', 'ranked')),
    winning_share  REAL    CHECK (winning_share IS NULL OR (winning_share > 0 AND winning_share <= 1)),
    base_votes     INTEGER NOT NULL DEFAULT 0 CHECK (base_votes >= 0),
    model          TEXT    NOT NULL DEFAULT 'empirical' CHECK (model IN ('empirical', 'funnel')),
    doors_per_vote REAL    CHECK (doors_per_vote IS NULL OR doors_per_vote > 0),
    contact_rate   REAL    CHECK (contact_rate IS NULL OR (contact_rate > 0 AND contact_rate <= 1)),
    support_rate   REAL    CHECK (support_rate IS NULL OR (support_rate > 0 AND support_rate <= 1)),
    passes         INTEGER CHECK (passes IS NULL OR passes >= 1),
    renewable      INTEGER NOT NULL DEFAULT 0 CHECK (renewable IN (0, 1)),
    margin         REAL,     -- expected margin in percentage points; orders races of equal rank
    updated_at     TEXT    NOT NULL,
    updated_by     INTEGER NOT NULL,
    PRIMARY KEY (guild_id, race_id),
    FOREIGN KEY (guild_id, race_id) REFERENCES races (guild_id, id),
    CHECK (turnout IS NOT NULL OR past_turnouts <> '')
);

CREATE TABLE canvass_shifts (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    race_id    INTEGER,            -- NULL: chapter canvassing not tied to one race
    member_id  INTEGER NOT NULL,   -- who logged it
    canvassers INTEGER NOT NULL DEFAULT 1 CHECK (canvassers >= 1),
    doors      INTEGER NOT NULL CHECK (doors BETWEEN 1 AND 100000),
    shift_date TEXT    NOT NULL,   -- ISO date, the chapter's local calendar
    logged_at  TEXT    NOT NULL,   -- UTC ISO 8601
    FOREIGN KEY (guild_id, race_id) REFERENCES races (guild_id, id)
);
CREATE INDEX canvass_shifts_by_day ON canvass_shifts (guild_id, shift_date);
