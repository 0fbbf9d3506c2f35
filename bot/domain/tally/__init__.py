"""Counting methods over a ballot profile: plain functions, no discord, no database, no clock."""
