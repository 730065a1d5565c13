"""Use cases shared by the desktop app and the command line. They return DTOs, never ORM rows."""
