"""Running the project in a subprocess with a clean environment: no inherited DJANGO_*, DATABASE_URL or CACHE_URL,
and no env file (DJANGO_ENV_FILE names one that does not exist), so only what a test passes is set."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
GOOD_KEY = secrets.token_urlsafe(50)

# What a production deployment sets (docs/configuration.md): `check --deploy` passes with exactly these.
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "False",
    "DJANGO_SECRET_KEY": GOOD_KEY,
    "DJANGO_ALLOWED_HOSTS": "example.com",
    "DJANGO_HTTPS": "True",
    "DJANGO_HSTS_SECONDS": "31536000",
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "True",
    "DJANGO_HSTS_PRELOAD": "True",
    "DJANGO_STAFF_MFA": "True",
}


def clean_env(tmp_path, overrides):
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_ENV_FILE": str(tmp_path / "absent.env"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "bonehealth.settings",
        "PYTHONPATH": str(BASE_DIR),
        **overrides,
    }


def run_python(args, env_overrides, tmp_path, cwd=None):
    """`python *args` in the project's environment, from `cwd` (default: the test's own folder)."""
    env = clean_env(tmp_path, env_overrides)
    return subprocess.run([sys.executable, *args], env=env, cwd=cwd or tmp_path, capture_output=True, text=True)


def run_manage(*args, env_overrides, tmp_path):
    return run_python([str(BASE_DIR / "manage.py"), *args], env_overrides, tmp_path)
