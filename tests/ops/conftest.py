"""A PostgreSQL cluster for the production tests, and the environment of a separate installation."""

import os
import socket
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def pg_cluster_url():
    """The run's own cluster (KOMPETEN_TEST_DB=postgres) or, on the SQLite run, a throwaway one started the
    same way (tests/pg_plugin.py)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return url
    from tests.pg_plugin import start_cluster

    return start_cluster()


def fresh_database(cluster_url):
    """A new, empty database in the cluster; returns its URL."""
    import psycopg

    name = f"kompeten_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(cluster_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(cluster_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def install_env(data_dir, database_url=None, **extra):
    """The environment of another installation: this process's, without its Kompeten/Django settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "KOMPETEN_", "EMAIL_", "DATABASE_", "PYTEST_"))}
    env.update(KOMPETEN_DATA_DIR=str(data_dir), KOMPETEN_LOG_FORMAT="text", **extra)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
