"""Backing up the database to one file with a manifest, and restoring it with a check.

SQLite: Python's sqlite3 online backup API (a consistent copy while the site runs; restoring
is the same API the other way). PostgreSQL: `pg_dump --format=custom` and `pg_restore`, run
with an argument list and the password in PGPASSWORD, never on a command line or in a log.
The manifest (FILE.manifest.json) holds each table's row count and checksum, the migration
state, the time (UTC) and the backup file's own sha256; restore checks the file against it
before touching the database and every table against it afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3

# pg_dump and pg_restore run with an argument list, never through a shell.
import subprocess  # nosec B404
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader

from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record
from safeguarding.records import checksums
from safeguarding.records.checksums import Mismatch, TableSum

MANIFEST_FORMAT = 1
# Tables `migrate` fills in a new, empty database: rows there do not make it "hold data".
MIGRATE_FILLS = {"django_migrations", "django_content_type", "auth_permission"}


class BackupError(Exception):
    pass


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]

    @property
    def tables(self) -> dict[str, TableSum]:
        return checksums.sums_from_json(self.manifest["tables"])

    @property
    def total_rows(self) -> int:
        return int(self.manifest["total_rows"])


def _pg_client(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found on PATH (install the PostgreSQL client).")
    return found


def _pg_connection(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump/pg_restore (password in env only)."""
    args = ["--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args.append(f"{option}={settings_dict[key]}")
    args.append(f"--dbname={settings_dict['NAME']}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    sslmode = settings_dict.get("OPTIONS", {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return args, env


def _run(args: list[str], env: dict[str, str] | None = None) -> None:
    # An argument list built here from settings, no shell: nothing is interpreted.
    done = subprocess.run(  # noqa: S603  # nosec B603
        args, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _sums_of_sqlite_file(path: Path) -> tuple[dict[str, TableSum], list[str], list[str]]:
    with checksums.extra_database("records_backup_file", str(path)) as alias:
        return (
            checksums.database_sums(using=alias),
            checksums.applied_migrations(using=alias),
            checksums.unchecked_tables(using=alias),
        )


def backup_database(*, out: Path, using: str = "default") -> BackupResult:
    """Back the database up to `out` and write the manifest beside it; audited."""
    conn = connections[using]
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    if conn.vendor == "sqlite":
        conn.ensure_connection()
        with closing(sqlite3.connect(partial)) as target:
            conn.connection.backup(target)
        os.replace(partial, out)
        # The checksums come from the copy itself, so they describe exactly what was saved.
        sums, migrations, unchecked = _sums_of_sqlite_file(out)
    elif conn.vendor == "postgresql":
        args, env = _pg_connection(conn.settings_dict)
        # One snapshot for pg_dump and for the checksums: both see the same committed data.
        with transaction.atomic(using=using), conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(
                [
                    _pg_client("pg_dump"),
                    "--format=custom",
                    f"--file={partial}",
                    f"--snapshot={snapshot}",
                    *args,
                ],
                env,
            )
            sums = checksums.database_sums(using=using)
            migrations = checksums.applied_migrations(using=using)
            unchecked = checksums.unchecked_tables(using=using)
        os.replace(partial, out)
    else:
        raise BackupError(f"Backing up a {conn.vendor} database is not supported.")
    manifest = {
        "format": MANIFEST_FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "vendor": conn.vendor,
        "django": django.get_version(),
        "file": out.name,
        "file_bytes": out.stat().st_size,
        "file_sha256": file_sha256(out),
        "migrations": migrations,
        "total_rows": sum(s.rows for s in sums.values()),
        "tables": checksums.sums_as_json(sums),
        "unchecked_tables": unchecked,
    }
    manifest_path(out).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    audit_record(
        actor=None,
        action=AuditAction.BACKUP,
        summary=f"Backed up {len(sums)} tables, {manifest['total_rows']} rows to {out.name} "
        f"(sha256 {str(manifest['file_sha256'])[:16]})",
    )
    return BackupResult(path=out, manifest=manifest)


@dataclass
class RestoreResult:
    tables: dict[str, TableSum]
    mismatches: list[Mismatch]
    migrations_newer_in_code: list[str]
    migrations_unknown_to_code: list[str]

    @property
    def total_rows(self) -> int:
        return sum(s.rows for s in self.tables.values())


def read_manifest(path: Path) -> dict[str, Any]:
    mpath = manifest_path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup file {path}.")
    if not mpath.is_file():
        raise BackupError(f"There is no manifest {mpath.name} beside the backup file.")
    try:
        manifest = json.loads(mpath.read_text())
    except ValueError:
        raise BackupError(f"{mpath.name} is not a manifest (not JSON).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"{mpath.name} is not a manifest this version can read.")
    return manifest


def database_holds_data(*, using: str = "default") -> bool:
    present = set(connections[using].introspection.table_names())
    return any(
        model._base_manager.using(using).exists()
        for model in checksums.checked_models()
        if model._meta.db_table in present and model._meta.db_table not in MIGRATE_FILLS
    )


def restore_database(*, path: Path, replace: bool = False, using: str = "default") -> RestoreResult:
    """Restore the backup into the configured database and check it against the manifest.

    Refuses a database that already holds data unless `replace`; refuses a backup file whose
    sha256 is not the manifest's (damaged, or not the file the manifest describes)."""
    conn = connections[using]
    path = path.resolve()
    manifest = read_manifest(path)
    if file_sha256(path) != manifest["file_sha256"]:
        raise BackupError(
            "The backup file does not match its manifest: it is damaged or not "
            "the file the manifest describes. Nothing was restored."
        )
    if manifest["vendor"] != conn.vendor:
        raise BackupError(f"This is a {manifest['vendor']} backup; the database is {conn.vendor}.")
    if not replace and database_holds_data(using=using):
        raise BackupError(
            "The database already holds data, and restoring replaces all of it. "
            "Run again with --yes to go ahead."
        )
    if conn.vendor == "sqlite":
        conn.ensure_connection()
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as source:
            source.backup(conn.connection)
    else:
        args, env = _pg_connection(conn.settings_dict)
        conn.close()
        _run(
            [
                _pg_client("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(path),
            ],
            env,
        )
    conn.close()
    result = _check_against(manifest, using=using)
    mismatches = result.mismatches
    found = result.tables
    audit_record(
        actor=None,
        action=AuditAction.RESTORE,
        summary=f"Restored {path.name} (backed up {manifest['created_at']}): {len(found)} "
        f"tables, {result.total_rows} rows, {len(mismatches)} mismatches",
        outcome="ok" if not mismatches else "mismatch",
    )
    return result


def _check_against(manifest: dict[str, Any], *, using: str) -> RestoreResult:
    found = checksums.database_sums(using=using)
    in_backup = set(manifest["migrations"])
    in_code = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    return RestoreResult(
        tables=found,
        mismatches=checksums.compare(checksums.sums_from_json(manifest["tables"]), found),
        migrations_newer_in_code=sorted(in_code - in_backup),
        migrations_unknown_to_code=sorted(in_backup - in_code),
    )


def verify_database(*, path: Path, using: str = "default") -> RestoreResult:
    """Compare the configured database with a backup's manifest; restore nothing, write
    nothing (for checking a restore, or that nothing changed since a backup)."""
    return _check_against(read_manifest(path.resolve()), using=using)
