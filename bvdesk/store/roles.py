"""Who may do what on a team server, enforced by PostgreSQL itself.

Four group roles per landlord database, each including the one before:

- reader: reads everything (board members, the tenant panel);
- officer: edits reviews (not their sign-off or lock), imports indicator files;
- approver: signs reviews off and reopens them;
- administrator: the catalogue, peer groups, settings, and who holds which role.

A login gets one of them with ``bvdesk server grant LOGIN ROLE``. The rules are GRANTs (by table,
and by column on ``review``, whose ``locked`` and ``version`` only an approver may change) and
row-level security where a role is narrower than a table: nobody but an approver changes a
signed-off review, and an audit entry must name the login that writes it. Only the database's
owner (who created it with ``bvdesk init``) changes the schema, and nobody may alter or delete
audit entries. So a reader who connects with psql, or with a modified client, still cannot
change anything.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection

from bvdesk.errors import InputRefused
from bvdesk.store.models import Base

ROLES = ("reader", "officer", "approver", "administrator")

#: Written by an officer (and everyone above): the reviews and imported indicator data.
OFFICER_TABLES = ("team_member", "review_indicator", "challenge_item", "consultation",
                  "appraisal_settings", "option", "cost_line", "risk", "quality_criterion",
                  "quality_score", "action", "judgement", "evidence", "organisation",
                  "indicator_value", "import_run", "import_profile")
#: Written by an approver: sign-offs.
APPROVER_TABLES = ("signoff",)
#: Review columns only an approver may change (signing off locks; reopening versions).
APPROVER_COLUMNS = ("locked", "version")


def group_role(dbname: str, role: str) -> str:
    """The group role for ``role`` on the database ``dbname`` (roles are server-wide)."""
    if role not in ROLES:
        raise InputRefused(f"There is no role {role!r}; the roles are {', '.join(ROLES)}.")
    safe = re.sub(r"[^a-z0-9_]", "_", dbname.lower())
    return f"bvdesk_{safe}"[:63 - len(role) - 1] + f"_{role}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def set_up(connection: Connection) -> None:
    """Create the four group roles and their rights on this database (idempotent). Run by the
    database's owner; granting and revoking call it, so rights follow the schema."""
    dbname = str(connection.exec_driver_sql("SELECT current_database()").scalar())
    reader, officer, approver, admin = (_quote(group_role(dbname, r)) for r in ROLES)
    for role in ROLES:
        name = group_role(dbname, role)
        exists = connection.exec_driver_sql(
            "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = %(n)s", {"n": name}).scalar()
        if not exists:
            connection.exec_driver_sql(f"CREATE ROLE {_quote(name)} NOLOGIN")
    connection.exec_driver_sql(f"GRANT {reader} TO {officer}")
    connection.exec_driver_sql(f"GRANT {officer} TO {approver}")
    connection.exec_driver_sql(f"GRANT {approver} TO {admin}")
    connection.exec_driver_sql(f'GRANT CONNECT ON DATABASE "{dbname}" TO {reader}')
    connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {reader}")
    tables = [t.name for t in Base.metadata.sorted_tables]
    all_tables = ", ".join(_quote(t) for t in (*tables, "alembic_version"))
    connection.exec_driver_sql(f"REVOKE ALL ON {all_tables} FROM PUBLIC")
    connection.exec_driver_sql(f"GRANT SELECT ON {all_tables} TO {reader}")
    connection.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public "
                               f"TO {officer}")
    writes = "INSERT, UPDATE, DELETE"
    connection.exec_driver_sql(
        f"GRANT {writes} ON {', '.join(_quote(t) for t in OFFICER_TABLES)} TO {officer}")
    review_columns = [c.name for c in Base.metadata.tables["review"].columns
                      if c.name not in APPROVER_COLUMNS]
    connection.exec_driver_sql(f"GRANT INSERT, DELETE ON review TO {officer}")
    connection.exec_driver_sql(
        f"GRANT UPDATE ({', '.join(_quote(c) for c in review_columns)}) ON review TO {officer}")
    connection.exec_driver_sql(f"GRANT INSERT ON audit_log TO {officer}")
    connection.exec_driver_sql(f"GRANT UPDATE ON review TO {approver}")
    connection.exec_driver_sql(
        f"GRANT {writes} ON {', '.join(_quote(t) for t in APPROVER_TABLES)} TO {approver}")
    admin_tables = [t for t in tables if t not in (*OFFICER_TABLES, *APPROVER_TABLES,
                                                  "review", "audit_log")]
    connection.exec_driver_sql(
        f"GRANT {writes} ON {', '.join(_quote(t) for t in admin_tables)} TO {admin}")
    _row_security(connection, approver)


def _row_security(connection: Connection, approver: str) -> None:
    """Policies where a role is narrower than a table (the owner is not bound by them)."""
    may_approve = f"pg_catalog.pg_has_role(current_user, '{approver.strip(chr(34))}', 'MEMBER')"
    policies = {
        "review": [
            ("bvdesk_read", "SELECT", "USING (true)"),
            ("bvdesk_add", "INSERT", f"WITH CHECK (NOT locked OR {may_approve})"),
            ("bvdesk_change", "UPDATE", f"USING (NOT locked OR {may_approve})"),
            ("bvdesk_remove", "DELETE", f"USING (NOT locked OR {may_approve})"),
        ],
        "audit_log": [
            ("bvdesk_read", "SELECT", "USING (true)"),
            ("bvdesk_append", "INSERT", 'WITH CHECK ("user" = current_user)'),
        ],
    }
    for table in OFFICER_TABLES + APPROVER_TABLES:
        columns = Base.metadata.tables[table].columns
        if "review_id" in columns:
            unlocked = (f"NOT EXISTS (SELECT 1 FROM review r WHERE r.id = {table}.review_id "
                        "AND r.locked)")
        elif "option_id" in columns:
            unlocked = (f"NOT EXISTS (SELECT 1 FROM option o JOIN review r ON r.id = o.review_id "
                        f"WHERE o.id = {table}.option_id AND r.locked)")
        else:
            continue
        allowed = f"({unlocked} OR {may_approve})"
        policies[table] = [
            ("bvdesk_read", "SELECT", "USING (true)"),
            ("bvdesk_add", "INSERT", f"WITH CHECK {allowed}"),
            ("bvdesk_change", "UPDATE", f"USING {allowed} WITH CHECK {allowed}"),
            ("bvdesk_remove", "DELETE", f"USING {allowed}"),
        ]
    for table, rules in policies.items():
        connection.exec_driver_sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for name, command, rule in rules:
            connection.exec_driver_sql(f"DROP POLICY IF EXISTS {name} ON {table}")
            connection.exec_driver_sql(f"CREATE POLICY {name} ON {table} FOR {command} {rule}")


def _login_exists(connection: Connection, login: str) -> bool:
    return bool(connection.exec_driver_sql(
        "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = %(n)s AND rolcanlogin",
        {"n": login}).scalar())


def grant(connection: Connection, login: str, role: str) -> None:
    """Give ``login`` the ``role`` on this database, in place of any other bvdesk role."""
    dbname = str(connection.exec_driver_sql("SELECT current_database()").scalar())
    target = group_role(dbname, role)
    if not _login_exists(connection, login):
        raise InputRefused(f"The server has no login {login!r}. Ask your IT team to create it "
                           f"(CREATE ROLE {_quote(login)} LOGIN PASSWORD '...'), then grant the "
                           "role again.")
    set_up(connection)
    for other in ROLES:
        if other != role:
            connection.exec_driver_sql(
                f"REVOKE {_quote(group_role(dbname, other))} FROM {_quote(login)}")
    connection.exec_driver_sql(f"GRANT {_quote(target)} TO {_quote(login)}")


def revoke(connection: Connection, login: str, role: str) -> None:
    """Take ``role`` on this database away from ``login``."""
    dbname = str(connection.exec_driver_sql("SELECT current_database()").scalar())
    if not _login_exists(connection, login):
        raise InputRefused(f"The server has no login {login!r}.")
    connection.exec_driver_sql(f"REVOKE {_quote(group_role(dbname, role))} FROM {_quote(login)}")


def holders(connection: Connection) -> dict[str, str]:
    """Each login holding a bvdesk role on this database, and that role."""
    dbname = str(connection.exec_driver_sql("SELECT current_database()").scalar())
    found: dict[str, str] = {}
    for role in ROLES:
        for (login,) in connection.exec_driver_sql(
                "SELECT m.rolname FROM pg_catalog.pg_auth_members a "
                "JOIN pg_catalog.pg_roles g ON g.oid = a.roleid "
                "JOIN pg_catalog.pg_roles m ON m.oid = a.member "
                "WHERE g.rolname = %(g)s AND m.rolcanlogin", {"g": group_role(dbname, role)}):
            found[login] = role
    return found
