"""Pure domain logic: no discord, no aiosqlite, no clock reads (callers pass `now`)."""
