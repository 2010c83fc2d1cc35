"""The SQL store (SQLite by default, PostgreSQL by URL): tables, engine and write paths."""
