"""A local S3 emulator for the tests: moto's server, started once per test process on a free port.

The private-file tests run twice, on disk and against it (`pytestmark = ON_DISK_AND_S3`); each S3 test gets
a bucket of its own. `settings_env(bucket)` gives the environment that points another process (a restored
installation, an app server) at a bucket, through the same KOMPETEN_S3_* variables as docs/deploy.md."""

import atexit
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest

ACCESS_KEY, SECRET_KEY, REGION = "kompeten-test", "kompeten-test-secret", "us-east-1"
ON_DISK_AND_S3 = pytest.mark.parametrize("private_storage_kind", ["disk", "s3"])

_server = {}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def endpoint():
    """The emulator's URL, starting it on first use (it stops when this process ends)."""
    if "url" not in _server:
        port = _free_port()
        proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        atexit.register(lambda: (proc.terminate(), proc.wait(10)))
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto's S3 server did not start on {url}") from None
                time.sleep(0.1)
        _server.update(url=url, proc=proc)
    return _server["url"]


def client():
    import boto3

    return boto3.client("s3", endpoint_url=endpoint(), region_name=REGION, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY)


def new_bucket():
    name = f"kompeten-{uuid.uuid4().hex[:12]}"
    client().create_bucket(Bucket=name)
    return name


def keys(bucket):
    """Every object key in the bucket (to see what was stored there, and that nothing went to disk)."""
    pages = client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return sorted(obj["Key"] for page in pages for obj in page.get("Contents", []))


def settings_env(bucket):
    return {"KOMPETEN_S3_BUCKET": bucket, "KOMPETEN_S3_ENDPOINT_URL": endpoint(), "KOMPETEN_S3_REGION": REGION,
            "KOMPETEN_S3_ACCESS_KEY": ACCESS_KEY, "KOMPETEN_S3_SECRET_KEY": SECRET_KEY}


def storage_setting(bucket):
    """STORAGES["default"] as settings.py makes it from settings_env(bucket)."""
    from kompeten.settings import s3_storage

    return s3_storage(settings_env(bucket))
