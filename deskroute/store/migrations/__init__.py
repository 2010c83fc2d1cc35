"""Alembic revisions of the store's schema, shipped inside the package (no alembic.ini):
`env.py`, `script.py.mako` and `versions/NNNN_name.py`, run by `deskroute.store.schema`.

To change the schema (the next change: revision 0002, the review tables):
1. Edit `deskroute/store/tables.py`.
2. `uv run python -m deskroute.store.migrations "review tables"` drafts
   `versions/0002_review_tables.py` by comparing the tables with a temporary SQLite store at
   the current head.
3. Review the draft, then `uv run ruff format` it. SQLite alters tables through batch
   operations (copy and rename): keep them. A new NOT NULL column needs a `server_default`
   for the rows already there; a moved column needs its data copied. Revisions name plain
   SQLAlchemy types and never import the models, which will have changed by the time an old
   store runs them.
4. Set `HEAD` in `deskroute/store/schema.py` to the new revision.
5. `uv run pytest tests/deskroute/store/test_migrations.py` upgrades stores made by earlier
   releases, on SQLite and PostgreSQL, and fails while the models and the migrated schema
   differ.

Users run `deskroute db upgrade`; a store behind head is refused until they do.
"""
