"""Start a throwaway PostgreSQL cluster for the test run when KOMPETEN_TEST_DB=postgres.

Loaded with `-p tests.pg_plugin` (pyproject) so it runs before pytest-django reads the settings.
PostgreSQL refuses to run as root; when we are root the cluster runs as the `postgres` user.
"""

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest


def _pg_bin(name):
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise RuntimeError(f"PostgreSQL binary {name!r} not found; install postgresql")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd):
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def start_cluster():
    tmp = Path(tempfile.mkdtemp(prefix="kompeten-pg-"))
    data = tmp / "data"
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
    port = _free_port()
    subprocess.run(_as_postgres([_pg_bin("initdb"), "-D", str(data), "-U", "kompeten", "--auth=trust",
                                 "-E", "UTF8", "--locale=C"]), check=True, stdout=subprocess.DEVNULL)
    subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "-l", str(tmp / "log"), "-w", "-o",
                                 f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off "
                                 "-c synchronous_commit=off -c full_page_writes=off", "start"]),
                   check=True, stdout=subprocess.DEVNULL)

    def stop():
        subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(tmp, ignore_errors=True)

    atexit.register(stop)
    for _ in range(50):
        if subprocess.run([_pg_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                          stdout=subprocess.DEVNULL).returncode == 0:
            break
        time.sleep(0.1)
    return f"postgres://kompeten@127.0.0.1:{port}/postgres"


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    if os.environ.get("KOMPETEN_TEST_DB") == "postgres" and not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = start_cluster()
