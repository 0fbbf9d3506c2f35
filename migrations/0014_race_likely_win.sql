-- "Very likely to win ... without the needed doors" (seed, "Chapter Strategy: Discipline,
-- Prioritization, and Capacity"), e.g. a safe incumbent: a committee flag of its own, apart
-- from a mass "renewable capacity" race. Such a race is listed apart and not counted.
ALTER TABLE race_capacity ADD COLUMN likely_win INTEGER NOT NULL DEFAULT 0
    CHECK (likely_win IN (0, 1));
