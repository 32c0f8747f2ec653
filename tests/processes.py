"""Running the project in a subprocess with a clean environment: no inherited DJANGO_*, DATABASE_URL or CACHE_URL,
and no env file (DJANGO_ENV_FILE names one that does not exist), so only what a test passes is set."""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def clean_env(tmp_path, overrides):
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_ENV_FILE": str(tmp_path / "absent.env"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **overrides,
    }


def manage_command(*args):
    return [sys.executable, str(BASE_DIR / "manage.py"), *args]
