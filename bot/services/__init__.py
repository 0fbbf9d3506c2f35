"""Use-cases the cogs and the scheduler call. They own the transactions."""
