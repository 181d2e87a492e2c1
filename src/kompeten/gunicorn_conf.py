"""gunicorn's configuration for `scripts/kompeten serve` (docs/deploy.md). Every value from the environment.

  KOMPETEN_BIND       address to listen on (default 127.0.0.1:8000; the HTTPS proxy in front talks to it)
  WEB_CONCURRENCY     worker processes (default 3; about 2 × CPU cores + 1)
  GUNICORN_TIMEOUT    seconds a request may take before its worker is restarted (default 60: PDFs take a few)
  FORWARDED_ALLOW_IPS addresses of the proxy whose X-Forwarded-* headers are trusted (gunicorn's own; default
                      127.0.0.1)
"""

import gc
import os

from kompeten.core.observability import logging_config

bind = os.environ.get("KOMPETEN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# The app (Django and every app's modules, about 1.7 s of CPU) is imported once, in the master, and each worker
# is a fork of it: a worker replaced after max_requests starts in milliseconds instead of importing it all
# again (with 2 workers busy at a few hundred requests a second that was a restart every few seconds, each
# leaving one worker's share of the requests waiting). Nothing opens a database connection at import
# (tests/core/test_gunicorn_conf.py checks), so no connection is shared across the fork. A new release needs
# a restart of the service (docs/deploy.md), not a HUP.
preload_app = True
# A worker is replaced after this many requests, so a slow leak never grows for long.
max_requests = 1000
max_requests_jitter = 100
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# No access log of gunicorn's own: RequestIdMiddleware writes one JSON line per request, with its id.
accesslog = None
errorlog = "-"
logconfig_dict = logging_config(level=os.environ.get("LOG_LEVEL", "INFO"),
                                fmt=os.environ.get("KOMPETEN_LOG_FORMAT", "json"))
proc_name = "kompeten"
# No control socket: it lives in the home directory, shared by every gunicorn of the same user.
control_socket_disable = True


def pre_fork(server, worker):
    """Before each worker is forked: every object the master holds (the app imported once, above) moves to the
    collector's permanent generation, so a worker's full collections never walk them — nor write to the pages
    they share with the master, which made each new worker copy most of the heap (Python's gc.freeze
    documentation recommends exactly this for servers that fork without exec). With max_requests a new worker
    starts every few seconds under load: bench/bench_verify.py."""
    gc.freeze()
