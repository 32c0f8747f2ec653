"""Start-up and deploy checks (bonehealth/checks.py): the second factor and the HSTS opt-ins are decisions
`check --deploy` asks for, and an unsafe secret key stops the site at start-up."""

import pytest

from tests.processes import BASE_DIR, GOOD_KEY, PRODUCTION_ENV, run_python


def deploy_check(env, tmp_path):
    return run_python([str(BASE_DIR / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)


def test_deploy_check_demands_the_second_factor(tmp_path):
    result = deploy_check({**PRODUCTION_ENV, "DJANGO_STAFF_MFA": "False"}, tmp_path)
    assert result.returncode != 0
    assert "bonehealth.W001" in result.stdout + result.stderr and "DJANGO_STAFF_MFA" in result.stderr


def test_deploy_check_hsts_subdomains_and_preload_are_each_a_decision(tmp_path):
    unset = {
        k: v for k, v in PRODUCTION_ENV.items() if k not in ("DJANGO_HSTS_INCLUDE_SUBDOMAINS", "DJANGO_HSTS_PRELOAD")
    }
    result = deploy_check(unset, tmp_path)
    assert result.returncode != 0 and "security.W005" in result.stderr and "security.W021" in result.stderr
    declined = {**unset, "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "False", "DJANGO_HSTS_PRELOAD": "False"}
    assert deploy_check(declined, tmp_path).returncode == 0


@pytest.mark.parametrize(
    "key",
    [None, "django-insecure-" + "x" * 60, "short-but-random-7f3a9c", "a" * 60],
    ids=["placeholder", "django-insecure", "under-50", "one-character"],
)
def test_unsafe_secret_key_stops_the_site_at_start_up(tmp_path, key):
    env = {"DJANGO_DEBUG": "False", **({"DJANGO_SECRET_KEY": key} if key else {})}
    started = run_python(["-c", "import bonehealth.wsgi"], env, tmp_path)
    assert started.returncode != 0
    assert "Refusing to start" in started.stderr and "DJANGO_SECRET_KEY" in started.stderr
    assert "secrets.token_urlsafe(50)" in started.stderr  # says how to set one
    checked = run_python([str(BASE_DIR / "manage.py"), "check"], env, tmp_path)
    assert checked.returncode != 0 and "bonehealth.E001" in checked.stderr


def test_a_strong_key_or_debug_starts_the_site(tmp_path):
    assert run_python(["-c", "import bonehealth.wsgi"], {"DJANGO_SECRET_KEY": GOOD_KEY}, tmp_path).returncode == 0
    debug = run_python(["-c", "import bonehealth.wsgi"], {"DJANGO_DEBUG": "True"}, tmp_path)
    assert debug.returncode == 0, debug.stderr
