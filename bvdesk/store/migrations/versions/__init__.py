"""Alembic migration scripts, one per schema change, with dated file names."""
