"""Repositories: the only place SQL lives. Each returns frozen dataclasses, never rows.

Functions that write take the connection of a transaction the caller (a service) opened with
`Database.transaction()`, so one use-case can span several repositories atomically.
Functions that only read take the `Database`.
"""
