"""Persistence: models, sessions, migrations, backups and the audit log."""
