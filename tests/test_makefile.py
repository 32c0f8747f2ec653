"""What `make` writes: the .env with the secret key and the SQLite database are private to their owner."""

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.processes import BASE_DIR, GOOD_KEY


@pytest.fixture
def project_copy(tmp_path):
    """The Makefile beside links to the project's code and venv, so make's own steps run in an empty folder."""
    folder = tmp_path / "site"
    folder.mkdir()
    shutil.copy(BASE_DIR / "Makefile", folder / "Makefile")
    for name in ("manage.py", "bonehealth", "articles", "calculator", "templates", "static", "requirements.txt"):
        (folder / name).symlink_to(BASE_DIR / name)
    (folder / ".venv").symlink_to(BASE_DIR / ".venv")
    return folder


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_make_writes_env_private(project_copy):
    subprocess.run(
        ["make", "-s", ".env", f"PYTHON={sys.executable}"], cwd=project_copy, check=True, capture_output=True
    )
    dotenv = project_copy / ".env"
    assert mode(dotenv) == 0o600
    assert re.fullmatch(r"DJANGO_SECRET_KEY=\S{50,}\n", dotenv.read_text())


def test_make_migrate_creates_the_sqlite_database_private(project_copy, tmp_path):
    database = tmp_path / "private.sqlite3"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SECRET_KEY": GOOD_KEY,
        "DJANGO_SETTINGS_MODULE": "bonehealth.settings",
    }
    (project_copy / ".env").write_text(f"DJANGO_SECRET_KEY={GOOD_KEY}\n")
    (project_copy / ".env").chmod(0o644)  # an old, world-readable one is tightened too
    done = subprocess.run(
        ["make", "-s", "-o", str(project_copy / ".venv" / ".installed"), "migrate", f"PYTHON={sys.executable}"],
        cwd=project_copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert mode(database) == 0o600
    assert mode(project_copy / ".env") == 0o600
