"""A throwaway SQLite database for a benchmark run (never the demo's var/)."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_in_tempdir():
    os.environ["KOMPETEN_DATA_DIR"] = tempfile.mkdtemp(prefix="kompeten-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
    # The benchmark logs staff in with the password alone (their second factor is tested in tests/security).
    os.environ.setdefault("KOMPETEN_MFA_REQUIRED", "0")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def median_seconds(fn, repeat=15):
    import statistics
    import time

    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)
