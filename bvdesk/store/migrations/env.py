"""Alembic environment: migrations run on the connection bvdesk hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from bvdesk.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        # Developer use: ``alembic -x db=path revision --autogenerate``.
        url = f"sqlite:///{context.get_x_argument(as_dictionary=True)['db']}"
        with create_engine(url).begin() as own:
            _run(own)
        return
    _run(connection)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        transactional_ddl=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("bvdesk migrations run online only")
run_migrations_online()
