"""Backups of everything editors make: the database and the uploads (``MEDIA_ROOT``) in one ``.tar.gz`` archive.

An archive holds ``manifest.json`` (what it is, when and from which release it was made, the latest applied migration
of every app, a SHA-256 of every other member), the database (``database.sqlite3``, a copy made with SQLite's online
backup API, or ``database.pgdump``, ``pg_dump --format=custom``) and ``media/`` (the uploads). Both dumps read one
consistent snapshot while the site keeps serving; an upload is never changed in place, so the files copied next to
it are those the rows name (a file uploaded during the backup may be missing, never a half-written one).

``create`` writes an archive (private: mode 600 in a folder of mode 700) and keeps the newest ``keep``. ``restore``
checks an archive completely before it touches anything: ours, complete (every checksum), from this database engine,
and no migration the code does not have. Only then it loads the database (an empty one, or with ``replace`` the current
one after backing it up) in one transaction, so a failed load changes nothing, runs ``migrate`` (an older backup comes
up to the current schema) and puts the uploads back.
docs/backups.md is the operator's side.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from bonehealth import generation

APP = "bonehealth"
FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media"
NAME_PATTERN = re.compile(r"^bonehealth-\d{8}-\d{6}(-\d+)?-[A-Za-z0-9._-]+\.tar\.gz$")


class BackupError(Exception):
    """A refusal or failure, with the sentence the operator reads; nothing was changed unless it says so."""


# -- taking a backup --------------------------------------------------------------------------------------------------


def create(directory, *, keep=None, using="default"):
    """Write one archive of the database ``using`` and ``MEDIA_ROOT`` into ``directory``; keep the newest ``keep``
    archives there (all when None). Returns the archive's path."""
    connection = connections[using]
    engine = _engine(connection)
    directory = Path(directory)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory.chmod(0o700)
    now = timezone.now()
    release = re.sub(r"[^A-Za-z0-9._-]", "-", generation.release()) or "unknown"
    with tempfile.TemporaryDirectory(dir=directory, prefix=".partial-") as work:
        work = Path(work)
        database = work / DATABASE_MEMBERS[engine]
        (_dump_sqlite if engine == "sqlite" else _dump_postgresql)(connection, database)
        members = {database.name: database}
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    members[f"{MEDIA}/{path.relative_to(media_root).as_posix()}"] = path
        manifest = {
            "app": APP,
            "format": FORMAT,
            "created": now.isoformat(),
            "release": generation.release(),
            "engine": engine,
            "migrations": latest_migrations(connection),
            "files": {name: _sha256(path) for name, path in members.items()},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial = work / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / MANIFEST, arcname=MANIFEST)
            for name, path in members.items():
                archive.add(path, arcname=name)
        partial.chmod(0o600)
        target = _free_name(directory, f"bonehealth-{now:%Y%m%d-%H%M%S}", f"-{release}.tar.gz")
        os.replace(partial, target)  # whole or not at all: a reader never sees a half-written archive
    if keep is not None:
        prune(directory, keep)
    return target


def archives(directory):
    """Our archives in ``directory``, oldest first."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    found = [path for path in directory.iterdir() if path.is_file() and NAME_PATTERN.match(path.name)]
    return sorted(found, key=lambda path: (path.stat().st_mtime, path.name))


def prune(directory, keep):
    """Remove all but the newest ``keep`` (at least one) of our archives in ``directory``; returns those removed."""
    old = archives(directory)[: -max(keep, 1)]
    for path in old:
        path.unlink()
    return old


def latest_migrations(connection):
    """{app label: name of its latest applied migration} (migration names are numbered)."""
    latest = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, name), name)
    return dict(sorted(latest.items()))


def _engine(connection):
    if connection.vendor in ("sqlite", "postgresql"):
        return connection.vendor
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")


def _dump_sqlite(connection, path):
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)  # SQLite's online backup: one consistent copy, readers and writers go on
    finally:
        target.close()


def _dump_postgresql(connection, path):
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"], connection, "pg_dump")


def _run(command, connection, tool):
    """Run a PostgreSQL client tool against ``connection``'s database (libpq's environment variables, so the
    password never appears in the process list)."""
    options = connection.settings_dict
    env = {**os.environ, "PGDATABASE": options["NAME"]}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if options.get(key):
            env[variable] = str(options[key])
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError as error:
        message = f"{tool} was not found: install the PostgreSQL client (apt-get install postgresql-client)."
        raise BackupError(message) from error
    if result.returncode:
        raise BackupError(f"{tool} failed: {result.stderr.strip()}")


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _free_name(directory, stem, suffix):
    candidate, number = directory / f"{stem}{suffix}", 1
    while candidate.exists():
        number += 1
        candidate = directory / f"{stem}-{number}{suffix}"
    return candidate


# -- restoring --------------------------------------------------------------------------------------------------------


def restore(path, *, replace=False, backup_dir=None, using="default"):
    """Bring the archive at ``path`` back into the database ``using`` and ``MEDIA_ROOT``.

    Refuses (BackupError, nothing changed) a file that is not one of our archives, an incomplete or damaged one, one
    from the other database engine, one made by code with migrations this code does not have, and a database that
    is not empty unless ``replace``; with ``replace`` the current content is first backed up into ``backup_dir``.
    Returns the path of that backup, or None."""
    connection = connections[using]
    engine = _engine(connection)
    with tempfile.TemporaryDirectory(prefix="bonehealth-restore-") as work:
        work = Path(work)
        manifest = _unpack(Path(path), work)
        if manifest.get("engine") != engine:
            raise BackupError(
                f"{path} is a backup of a {manifest.get('engine')} database; this site uses {engine}. "
                "Restore it on a site with the same database engine."
            )
        _check_migrations(manifest["migrations"])
        existing = connection.introspection.table_names()
        safety = None
        if existing:
            if not replace:
                raise BackupError(
                    "The database is not empty. To replace its content with the backup, confirm with --replace "
                    "(make restore FILE=... CONFIRM=yes): the current content is backed up first."
                )
            safety = create(backup_dir or settings.BACKUP_DIR, using=using)
        database = work / DATABASE_MEMBERS[engine]
        try:
            if engine == "sqlite":
                _load_sqlite(connection, database)
            else:
                _load_postgresql(connection, database, existing)
        except (BackupError, sqlite3.Error) as error:
            before = f" The content before the restore is in {safety}." if safety else ""
            raise BackupError(f"The restore failed: {error}.{before}") from error
        connection.close()
        call_command("migrate", database=using, interactive=False, verbosity=0)
        media = work / MEDIA
        if media.is_dir():
            shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    generation.bump()
    return safety


def _unpack(path, work):
    """Extract the archive into ``work`` and check it whole; returns its manifest."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    foreign = f"{path} is not a Bone Health backup"
    try:
        with tarfile.open(path, "r:gz") as archive:
            names = archive.getnames()
            if MANIFEST not in names:
                raise BackupError(f"{foreign} (it has no {MANIFEST}).")
            archive.extractall(work, filter="data")
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        if _looks_gzipped(path):
            raise BackupError(f"{path} is truncated or damaged ({error}). Nothing was changed.") from error
        raise BackupError(f"{foreign} (not a .tar.gz archive).") from error
    try:
        manifest = json.loads((work / MANIFEST).read_text())
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{foreign} (its {MANIFEST} is not readable).") from error
    if not isinstance(manifest, dict) or manifest.get("app") != APP:
        raise BackupError(f"{foreign}.")
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path} is a backup in format {manifest.get('format')}; this code reads format {FORMAT}. "
            "Restore it with the release that made it."
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or not isinstance(manifest.get("migrations"), dict):
        raise BackupError(f"{foreign} (its {MANIFEST} is incomplete).")
    if set(names) - {MANIFEST} != set(files):
        raise BackupError(f"{path} is damaged: its files differ from its manifest's list. Nothing was changed.")
    for name, checksum in files.items():
        if _sha256(work / name) != checksum:
            raise BackupError(f"{path} is damaged: {name} does not match its checksum. Nothing was changed.")
    return manifest


def _looks_gzipped(path):
    with open(path, "rb") as file:
        return file.read(2) == b"\x1f\x8b"


def _check_migrations(latest):
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(f"{app}.{name}" for app, name in latest.items() if (app, name) not in known)
    if unknown:
        raise BackupError(
            "The backup was made by a newer release: its database has migrations this code does not have "
            f"({', '.join(unknown)}). Deploy that release (or a later one) first, then restore. Nothing was changed."
        )


def _load_sqlite(connection, database):
    connection.ensure_connection()
    source = sqlite3.connect(database)
    try:
        source.backup(connection.connection)  # the backup API again: one transaction, never a half-copied file
    finally:
        source.close()


def _load_postgresql(connection, database, existing):
    """Drop the current tables and load the dump in one transaction: if any statement fails, PostgreSQL rolls all of
    it back and the current content stays exactly as it was. pg_restore first turns the dump into SQL in a file (a
    damaged dump fails there, before anything is touched; a pipe would hand psql half a script to commit)."""
    drops, script = database.with_name("drop.sql"), database.with_suffix(".sql")
    quoted = [connection.ops.quote_name(table) for table in existing]
    drops.write_text(
        "SET client_min_messages = warning;\n" + "".join(f"DROP TABLE IF EXISTS {table} CASCADE;\n" for table in quoted)
    )
    _run(["pg_restore", "--no-owner", "--no-privileges", f"--file={script}", str(database)], connection, "pg_restore")
    connection.close()
    _run(
        ["psql", "--no-psqlrc", "--quiet", "--output=/dev/null", "--set=ON_ERROR_STOP=1", "--single-transaction",
         f"--file={drops}", f"--file={script}"],
        connection,
        "psql",
    )  # fmt: skip
