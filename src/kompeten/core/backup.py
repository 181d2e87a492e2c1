"""One archive holds an installation: the database, the private files and the keys of the data directory
(`manage.py backup`, `manage.py restore`; docs/deploy.md).

The archive is a .tar.gz with, under `kompeten-backup/`:
  manifest.json      format, time, database engine and version, the sha256 of every other member
  database.sqlite3   SQLite: a copy made with SQLite's online backup API (a consistent snapshot while the
                     app writes)
  database.pgdump    PostgreSQL: `pg_dump --format=custom` (one snapshot transaction), made by the pg_dump of
                     the server's own major version
  private/…          every private file (default storage), under its stored name
  data/…             the other files of the data directory (var/): the secret key and any signing key

Consistency while the app runs: the database is copied first, the files after. A stored file is written
before the row that names it is committed and is never changed afterwards, so every file the database copy
names is already there when the files are copied (files added meanwhile come along, unnamed and harmless).
`restore` checks that every file the restored database names is present, and says so if one is not.
"""

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections, models

FORMAT = 1
ROOT = "kompeten-backup"
# Files of the data directory that are not keys: the database itself, collected static files, the private
# files (archived on their own), and backups kept there.
DB_SUFFIXES = ("", "-wal", "-shm", "-journal")


class BackupError(Exception):
    """Refused or failed, with a sentence for the operator."""


# ── where things are ─────────────────────────────────────────────────────────────────────────────────────

def _connection():
    return connections[DEFAULT_DB_ALIAS]


def engine():
    return _connection().vendor  # "sqlite" or "postgresql"


def _storage_location():
    location = getattr(default_storage, "location", None)
    return Path(location).resolve() if location else None


def _excluded_from_data(data_dir):
    excluded = [Path(settings.STATIC_ROOT).resolve()] if settings.STATIC_ROOT else []
    if _storage_location():
        excluded.append(_storage_location())
    conn = _connection()
    if conn.vendor == "sqlite":
        name = str(conn.settings_dict["NAME"])
        excluded += [Path(name + suffix).resolve() for suffix in DB_SUFFIXES]
    excluded.append((data_dir / "backups").resolve())
    return excluded


def data_files(data_dir=None):
    """The data directory's own files (keys), as (relative name, path): everything but the excluded."""
    data_dir = Path(data_dir or settings.DATA_DIR).resolve()
    excluded = _excluded_from_data(data_dir)
    found = []
    for path in sorted(data_dir.rglob("*")):
        resolved = path.resolve()
        if not path.is_file() or any(resolved == e or e in resolved.parents for e in excluded):
            continue
        rel = path.relative_to(data_dir)
        if rel.parts[0].startswith("kompeten-"):  # a backup kept here, or a restore under way
            continue
        found.append((rel.as_posix(), path))
    return found


def private_files(storage=None):
    """Every stored name in the private storage (walked through the storage API, so any backend works)."""
    storage = storage or default_storage
    names = []

    def walk(prefix):
        try:
            dirs, files = storage.listdir(prefix)
        except FileNotFoundError:
            return
        for f in files:
            names.append(f"{prefix}/{f}" if prefix else f)
        for d in dirs:
            if not prefix and d == ".health":
                continue
            walk(f"{prefix}/{d}" if prefix else d)

    walk("")
    return sorted(names)


def referenced_files():
    """Every name stored in a FileField of any model (to check a restore against its files)."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names.update(n for n in model._default_manager.exclude(**{field.name: ""})
                             .values_list(field.attname, flat=True) if n)
    return names


# ── PostgreSQL tools of the server's own major version ───────────────────────────────────────────────────

def _pg_env(settings_dict):
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                     ("NAME", "PGDATABASE")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for key, var in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("sslcert", "PGSSLCERT"),
                     ("sslkey", "PGSSLKEY"), ("service", "PGSERVICE"), ("passfile", "PGPASSFILE")):
        if options.get(key):
            env[var] = str(options[key])
    return env


def server_major():
    conn = _connection()
    conn.ensure_connection()
    return conn.pg_version // 10000


def pg_tool(name, major):
    """The `pg_dump`/`pg_restore` of the server's major version: KOMPETEN_PG_BIN, Debian's
    /usr/lib/postgresql/<major>/bin, then the PATH."""
    candidates = []
    if os.environ.get("KOMPETEN_PG_BIN"):
        candidates.append(Path(os.environ["KOMPETEN_PG_BIN"]) / name)
    candidates.append(Path(f"/usr/lib/postgresql/{major}/bin/{name}"))
    if shutil.which(name):
        candidates.append(Path(shutil.which(name)))
    seen = []
    for path in candidates:
        if not path.is_file() or not os.access(path, os.X_OK):
            continue
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True).stdout
        found = re.search(r"(\d+)(?:\.\d+)?", out)
        version = int(found.group(1)) if found else None
        if version == major:
            return str(path)
        seen.append(f"{path} ({version})")
    raise BackupError(
        f"No {name} of PostgreSQL {major} (the server's version) was found"
        + (f"; found only {', '.join(seen)}" if seen else "")
        + f". Install postgresql-client-{major} or set KOMPETEN_PG_BIN to its bin directory.")


# ── backup ───────────────────────────────────────────────────────────────────────────────────────────────

def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _dump_database(work):
    conn = _connection()
    if conn.vendor == "sqlite":
        target = work / "database.sqlite3"
        conn.ensure_connection()
        dest = sqlite3.connect(target)
        try:
            conn.connection.backup(dest)
        finally:
            dest.close()
        return target, {"engine": "sqlite", "version": sqlite3.sqlite_version}
    if conn.vendor == "postgresql":
        major = server_major()
        target = work / "database.pgdump"
        result = subprocess.run(
            [pg_tool("pg_dump", major), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)],
            env=_pg_env(conn.settings_dict), capture_output=True, text=True)
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return target, {"engine": "postgresql", "version": major}
    raise BackupError(f"Backups know SQLite and PostgreSQL, not {conn.vendor}.")


def archive_path(destination, now=None):
    """A name ending in .tar.gz is the archive's own; anything else is a directory (made if needed) that gets
    a new time-stamped archive."""
    destination = Path(destination)
    if destination.name.endswith(".tar.gz") and not destination.is_dir():
        return destination
    if destination.exists() and not destination.is_dir():
        raise BackupError(f"{destination} is a file: give a directory or a file name ending in .tar.gz.")
    stamp = re.sub(r"[^0-9T]", "", (now or dt.datetime.now()).isoformat(timespec="seconds"))  # 20261201T063534
    return destination / f"kompeten-backup-{stamp}.tar.gz"


def backup(destination):
    """Writes one archive; returns (its path, the manifest)."""
    target = archive_path(destination)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise BackupError(f"{target} exists already; choose another name.")
    with tempfile.TemporaryDirectory(prefix="kompeten-backup-") as tmp:
        work = Path(tmp)
        db_file, db_info = _dump_database(work)  # first: see the module's note on consistency
        members = [(f"{ROOT}/{db_file.name}", db_file)]
        private_dir = work / "private"
        for name in private_files():
            local = private_dir / name
            local.parent.mkdir(parents=True, exist_ok=True)
            try:
                with default_storage.open(name, "rb") as src, open(local, "wb") as dst:
                    shutil.copyfileobj(src, dst)
            except FileNotFoundError:
                continue  # removed since it was listed
            members.append((f"{ROOT}/private/{name}", local))
        members += [(f"{ROOT}/data/{rel}", path) for rel, path in data_files()]
        manifest = {
            "format": FORMAT,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": {**db_info, "file": db_file.name},
            "private_files": sum(1 for m, _p in members if m.startswith(f"{ROOT}/private/")),
            "data_files": [m.removeprefix(f"{ROOT}/data/") for m, _p in members if m.startswith(f"{ROOT}/data/")],
            "sha256": {m.removeprefix(f"{ROOT}/"): _sha256(p) for m, p in members},
        }
        partial = target.with_name(target.name + ".tmp")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds the keys
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo(f"{ROOT}/manifest.json")
                info.size, info.mode, info.mtime = len(data), 0o600, int(dt.datetime.now().timestamp())
                tar.addfile(info, io.BytesIO(data))
                for member, path in members:
                    tar.add(path, arcname=member, recursive=False)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return target, manifest


# ── restore ──────────────────────────────────────────────────────────────────────────────────────────────

def _table_names():
    conn = _connection()
    with conn.cursor() as cursor:
        return conn.introspection.table_names(cursor)


def what_is_here():
    """What this installation already holds: (number of people, number of private files)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    people = User._default_manager.count() if User._meta.db_table in _table_names() else 0
    return people, len(private_files())


def _read_archive(archive, into):
    """Unpacks into `into`, checking names and checksums; returns the manifest."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file.")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{archive} is not a readable Kompeten backup ({exc}).") from exc
    root = Path(into) / ROOT
    try:
        manifest = json.loads((root / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{archive} has no readable manifest: not a Kompeten backup.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is of backup format {manifest.get('format')}; this version reads {FORMAT}.")
    for member, digest in manifest["sha256"].items():
        path = root / member
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{archive} is damaged: {member} is missing or altered.")
    return manifest


def _restore_sqlite(db_file):
    conn = _connection()
    conn.close()
    conn.ensure_connection()
    source = sqlite3.connect(db_file)
    try:
        source.backup(conn.connection)
    finally:
        source.close()
    conn.close()


def _restore_postgresql(db_file, dumped_major):
    conn = _connection()
    major = server_major()
    if major < dumped_major:
        raise BackupError(f"The backup comes from PostgreSQL {dumped_major}; this server is {major}, older: "
                          f"restore into PostgreSQL {dumped_major} or newer.")
    tables = _table_names()
    if tables:
        with conn.cursor() as cursor:
            cursor.execute("DROP TABLE " + ", ".join(conn.ops.quote_name(t) for t in tables) + " CASCADE")
    conn.close()
    result = subprocess.run(
        [pg_tool("pg_restore", major), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         "--dbname", conn.settings_dict["NAME"], str(db_file)],
        env=_pg_env(conn.settings_dict), capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def restore(archive, *, force=False):
    """Restores the archive into this installation; returns a summary dict. Refuses an installation that
    already holds people or private files unless force=True (then they are replaced)."""
    conn = _connection()
    with tempfile.TemporaryDirectory(prefix="kompeten-restore-", dir=settings.DATA_DIR) as tmp:
        manifest = _read_archive(archive, tmp)
        root = Path(tmp) / ROOT
        dumped = manifest["database"]["engine"]
        if dumped != conn.vendor:
            raise BackupError(f"The backup holds a {dumped} database; this installation uses {conn.vendor} "
                              "(DATABASE_URL). Restore it into the same kind of database.")
        people, files = what_is_here()
        if (people or files) and not force:
            raise BackupError(f"This installation is not empty: it has {people} account(s) and {files} private "
                              "file(s). Restore into an empty one, or add --force to replace everything here.")
        db_file = root / manifest["database"]["file"]
        if dumped == "sqlite":
            _restore_sqlite(db_file)
        else:
            _restore_postgresql(db_file, int(manifest["database"]["version"]))
        for name in private_files():
            default_storage.delete(name)
        private_root = root / "private"
        restored_files = 0
        for path in sorted(p for p in private_root.rglob("*") if p.is_file()):
            name = path.relative_to(private_root).as_posix()
            with open(path, "rb") as f:
                saved = default_storage.save(name, File(f))
            if saved != name:
                raise BackupError(f"The private file {name} could not be restored under its own name ({saved}).")
            restored_files += 1
        data_dir = Path(settings.DATA_DIR)
        for rel in manifest["data_files"]:
            target = data_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / "data" / rel, target)
            target.chmod(0o600)
    connections.close_all()
    missing = sorted(n for n in referenced_files() if not default_storage.exists(n))
    return {"manifest": manifest, "private_files": restored_files, "data_files": manifest["data_files"],
            "missing_files": missing}
