"""gunicorn imports the app once in its master and forks the workers from it (gunicorn_conf.preload_app): this
is safe only while importing the app opens no database connection (it would be shared by every worker)."""

import subprocess
import sys

from .conftest import REPO, free_port, install_env

CHECK = """
import kompeten.wsgi
from django.db import connections
open_ones = [alias for alias in connections if connections[alias].connection is not None]
assert not open_ones, open_ones
print("no connection")
"""


def test_the_app_imports_without_a_database_connection(tmp_path):
    from kompeten import gunicorn_conf

    assert gunicorn_conf.preload_app
    # A database nobody listens on: any connection attempt while importing would fail the import.
    env = install_env(tmp_path, database_url=f"postgres://kompeten@127.0.0.1:{free_port()}/nowhere",
                      DJANGO_SETTINGS_MODULE="kompeten.settings", DJANGO_SECURE="1",
                      DJANGO_SECRET_KEY="preload-" + "k3Vn8" * 12, DJANGO_ALLOWED_HOSTS="lsp.example",
                      PYTHONPATH=str(REPO / "src"))
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and "no connection" in done.stdout, done.stderr


def test_each_worker_is_forked_with_the_masters_objects_frozen():
    """A worker's collections must not walk (and so copy) the objects it shares with the master."""
    import gc

    from kompeten import gunicorn_conf

    gc.unfreeze()
    try:
        gunicorn_conf.pre_fork(server=None, worker=None)
        assert gc.get_freeze_count() > 10_000  # Django, every app, the URL tables
    finally:
        gc.unfreeze()
