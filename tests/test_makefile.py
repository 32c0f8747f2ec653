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


# `make superuser`: the first administrator account, with the password rules and no bypass.

STRONG = "correct horse battery staple"


def test_make_superuser_runs_the_command_without_a_bypass():
    recipe = subprocess.run(
        ["make", "-n", "-o", "migrate", "superuser"], cwd=BASE_DIR, check=True, capture_output=True, text=True
    ).stdout
    assert "manage.py create_admin_account" in recipe
    assert "createsuperuser" not in recipe


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password",
    ["short1!", "password1234", "123456789012345", "editor-in-chief"],
    ids=["too-short", "common", "all-digits", "like-the-username"],
)
def test_create_admin_account_without_input_refuses_a_weak_password(monkeypatch, password):
    from django.contrib.auth import get_user_model
    from django.core.management import CommandError, call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", password)
    with pytest.raises(CommandError, match="Nothing was created"):
        call_command("create_admin_account", "--no-input", "--username", "editor-in-chief")
    assert not get_user_model().objects.filter(username="editor-in-chief").exists()


@pytest.mark.django_db
def test_create_admin_account_without_input_creates_a_superuser(monkeypatch):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", STRONG)
    call_command("create_admin_account", "--no-input", "--username", "chief", "--email", "chief@example.com")
    user = get_user_model().objects.get(username="chief")
    assert user.is_superuser and user.is_staff and user.email == "chief@example.com"
    assert user.check_password(STRONG)


@pytest.mark.django_db
def test_create_admin_account_asks_again_until_the_password_passes(monkeypatch, capsys):
    """Typed at the prompts: a weak password, then two that differ, then a strong one. Every refusal says why and no
    answer can skip the rules."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    answers = iter(["chief", ""])
    passwords = iter(["password1234", "password1234", STRONG, STRONG + "x", STRONG, STRONG])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(passwords))
    call_command("create_admin_account")
    errors = capsys.readouterr().err
    assert "too common" in errors
    assert "differ" in errors
    assert "cannot be bypassed" in errors
    assert get_user_model().objects.get(username="chief").check_password(STRONG)


@pytest.mark.django_db
def test_create_admin_account_refuses_a_taken_username(monkeypatch):
    from django.contrib.auth import get_user_model
    from django.core.management import CommandError, call_command

    get_user_model().objects.create_user(username="chief", password=STRONG)
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", STRONG)
    with pytest.raises(CommandError, match="already taken"):
        call_command("create_admin_account", "--no-input", "--username", "chief")
    assert not get_user_model().objects.get(username="chief").is_superuser


def test_make_run_banner_shows_the_address_gunicorn_binds(tmp_path, monkeypatch):
    """`PORT=9123 make run` says it serves on the port gunicorn.conf.py will bind, not a fixed :8000."""
    import runpy

    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "HOST": "127.0.0.2", "PORT": "9123"}
    recipe = subprocess.run(
        ["make", "-n", "-o", "migrate", "run"], cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True
    ).stdout
    banner = next(line for line in recipe.splitlines() if "Serving Bone Health" in line)
    monkeypatch.setenv("HOST", "127.0.0.2")
    monkeypatch.setenv("PORT", "9123")
    bind = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))["bind"]
    assert bind == "127.0.0.2:9123"
    assert f"http://{bind}/" in banner
