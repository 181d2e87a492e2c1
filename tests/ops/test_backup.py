"""manage.py backup / restore: one archive, restored into an empty installation, holds every account, case,
document file, certificate (still verifying) and action-log entry, and the keys. Runs on the engine of the
test run: SQLite, and PostgreSQL in `KOMPETEN_TEST_DB=postgres` (make test runs both)."""

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from kompeten.core import backup as backup_module
from kompeten.core.backup import BackupError
from tests import s3
from tests.s3 import ON_DISK_AND_S3

from ..certification.helpers import make_case, make_event, recommend
from .conftest import REPO, fresh_database, install_env
from .snapshot import take

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _manage(env, *args):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120)


def _snapshot_of(env):
    result = _manage(env, "shell", "-c", "from tests.ops.snapshot import main; main()")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def lsp(settings, tmp_path, candidate, scheme, assessor, site, committee, lsp_head):
    """An installation with a draft case and its two documents, and a certified case with its certificate."""
    from kompeten.cases import services as cases
    from kompeten.certification import services as certification

    settings.DATA_DIR = tmp_path / "var"
    settings.DATA_DIR.mkdir()
    (settings.DATA_DIR / ".secret_key").write_text("k" * 20 + "the-source-installation-secret-key-0123456789")
    (settings.DATA_DIR / "keys").mkdir()
    (settings.DATA_DIR / "keys" / "signing.key").write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n")
    draft = cases.create_case(candidate, scheme)
    for n in (1, 2):
        cases.upload_document(draft, candidate, title=f"Bukti {n}",
                              file=SimpleUploadedFile(f"bukti-{n}.pdf", PDF.replace(b"trailer", f"%{n}\ntrailer".encode()), "application/pdf"))
    certified = make_case(candidate, scheme, assessor, make_event(scheme, site))
    recommend(certified, "K")
    certification.decide_competent(certified, committee)
    certification.sign_holder_agreement(certified, candidate)
    certification.issue_certificate(certified, lsp_head)
    return settings.DATA_DIR


def _target_env(tmp_path, name, private_storage_kind="disk"):
    """Another installation: its own data directory, database and (on S3) empty bucket."""
    extra = s3.settings_env(s3.new_bucket()) if private_storage_kind == "s3" else {}
    if connection.vendor == "postgresql":
        return install_env(tmp_path / name, fresh_database(os.environ["DATABASE_URL"]), **extra)
    return install_env(tmp_path / name, **extra)


@ON_DISK_AND_S3
@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_an_empty_installation(lsp, tmp_path, private_storage_kind):
    before = take()
    assert len(before["documents"]) == 2 and len(before["certificates"]) == 1 and len(before["log"]) >= 4
    assert before["certificates"][0] == {"number": before["certificates"][0]["number"], "page": 200,
                                         "shows_number": True, "active": True}

    out = io.StringIO()
    call_command("backup", str(tmp_path / "backups"), stdout=out)
    (archive,) = (tmp_path / "backups").glob("kompeten-backup-*.tar.gz")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # it holds the keys
    # The secret key, the signing key made here, and the credential key and PDF signing key the certificate's
    # issue made; the private files: the two documents and the certificate's signed PDF stored at its issue.
    assert (lsp / "credential-ed25519.pem").exists() and (lsp / "pdf-signing.pem").exists()
    assert "3 private file(s), 4 key file(s)" in out.getvalue()

    env = _target_env(tmp_path, "restored", private_storage_kind)
    result = _manage(env, "restore", str(archive))
    assert result.returncode == 0, result.stderr
    assert "Restored" in result.stdout and "not in the archive" not in result.stdout

    after = _snapshot_of(env)
    assert after["users"] == before["users"]
    assert after["cases"] == before["cases"]
    assert after["documents"] == before["documents"]  # each file, under its name, with its bytes
    assert all(d[4] == d[5] for d in after["documents"])
    if private_storage_kind == "s3":  # restored into the new installation's bucket, not onto its disk
        from django.conf import settings

        assert s3.keys(env["KOMPETEN_S3_BUCKET"]) == s3.keys(settings.S3_TEST_BUCKET)
        assert not (tmp_path / "restored" / "private").exists()
    assert after["certificates"] == before["certificates"]  # still verifying on the public page
    assert after["log"] == before["log"]
    assert after["keys"] == {".secret_key": (lsp / ".secret_key").read_text()}
    assert (tmp_path / "restored" / "keys" / "signing.key").read_text() == (lsp / "keys" / "signing.key").read_text()
    # The credentials issued before the backup still verify with the restored key.
    assert (tmp_path / "restored" / "credential-ed25519.pem").read_bytes() == (lsp / "credential-ed25519.pem").read_bytes()
    assert (tmp_path / "restored" / "pdf-signing.pem").read_bytes() == (lsp / "pdf-signing.pem").read_bytes()

    # The installation is no longer empty: a second restore is refused, and changes nothing, unless --force.
    again = _manage(env, "restore", str(archive))
    assert again.returncode == 1
    assert "not empty" in again.stderr and "--force" in again.stderr
    forced = _manage(env, "restore", "--force", str(archive))
    assert forced.returncode == 0, forced.stderr
    assert _snapshot_of(env)["documents"] == before["documents"]


@pytest.mark.django_db
def test_a_damaged_or_foreign_archive_is_refused_before_anything_changes(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"not an archive")
    with pytest.raises(BackupError, match="not a readable Kompeten backup"):
        backup_module.restore(garbage)

    altered = tmp_path / "altered.tar.gz"
    manifest = {"format": 1, "database": {"engine": connection.vendor, "file": "database.sqlite3"},
                "data_files": [], "sha256": {"database.sqlite3": hashlib.sha256(b"original").hexdigest()}}
    with tarfile.open(altered, "w:gz") as tar:
        for name, data in (("manifest.json", json.dumps(manifest).encode()), ("database.sqlite3", b"altered")):
            info = tarfile.TarInfo(f"kompeten-backup/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError, match="damaged: database.sqlite3"):
        backup_module.restore(altered)

    missing = tmp_path / "missing.tar.gz"
    with pytest.raises(BackupError, match="no such file"):
        backup_module.restore(missing)


def test_a_backup_destination_is_a_directory_or_a_tar_gz(tmp_path):
    assert backup_module.archive_path(tmp_path / "x.tar.gz") == tmp_path / "x.tar.gz"
    stamped = backup_module.archive_path(tmp_path / "nightly")
    assert stamped.parent == tmp_path / "nightly"
    assert re.fullmatch(r"kompeten-backup-\d{8}T\d{6}\.tar\.gz", stamped.name)
    (tmp_path / "a-file").write_text("")
    with pytest.raises(BackupError, match="is a file"):
        backup_module.archive_path(tmp_path / "a-file")


def test_pg_dump_must_match_the_servers_major_version(monkeypatch, tmp_path):
    monkeypatch.setenv("KOMPETEN_PG_BIN", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="No pg_dump of PostgreSQL 99"):
        backup_module.pg_tool("pg_dump", 99)
