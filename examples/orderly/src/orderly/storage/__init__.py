"""Persistence: the SQL database, its ORM tables, repository adapters and the Redis cache."""
