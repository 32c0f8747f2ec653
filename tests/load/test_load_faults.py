"""What the site survives: sustained mixed load, Redis dying, PostgreSQL stopping, and two instances sharing both.

Everything runs on loopback with servers this module starts and stops itself (never the machine's shared
PostgreSQL or Redis): a private redis-server, a private PostgreSQL cluster (initdb in a temporary folder), and two
gunicorn instances of the site started as `make run` starts it (gunicorn.conf.py), both using that PostgreSQL and
that Redis. Bounded in time: about two minutes with the default LOAD_SECONDS=60.
"""

import glob
import html.parser
import http.cookiejar
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.load

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
ARTICLE_SLUG = "calcium-and-vitamin-k2-bone-health-combination"
ARTICLE = f"/blog/{ARTICLE_SLUG}/"
LOAD_SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
API_BODY = json.dumps({"age": 40, "sex": "male", "foods": {"milk": 2}}).encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, *, data=None, headers=None, opener=None, timeout=10):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def wait_until(check, *, timeout, what):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last:
                return last
        except OSError as error:
            last = error
        time.sleep(0.2)
    raise AssertionError(f"{what} not true within {timeout} s (last: {last!r})")


class Processes:
    """Every server started here, stopped by its own process group id."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.started = []

    def start(self, name, command, *, env=None, user=None):
        if user:
            command = ["runuser", "-u", user, "--", *command]
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.started.append(process)
        return process

    @staticmethod
    def stop(process, sig=signal.SIGTERM):
        if process.poll() is None:
            os.killpg(process.pid, sig)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def stop_all(self):
        for process in reversed(self.started):
            self.stop(process)


class PrivatePostgres:
    """A throwaway cluster: initdb into a temporary folder, run as the postgres user when we are root."""

    def __init__(self, procs: Processes, workdir: Path):
        self.procs = procs
        self.port = free_port()
        self.data = workdir / "pg"
        self.socket_dir = workdir / "pg-socket"
        self.user = "postgres" if os.geteuid() == 0 else None
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        self.bin = Path(binaries[-1]) if binaries else Path(shutil.which("postgres") or "postgres").parent
        self.process = None

    def run(self, *command):
        if self.user:
            command = ("runuser", "-u", self.user, "--", *command)
        subprocess.run(command, check=True, capture_output=True)

    def init(self):
        for folder in (self.data, self.socket_dir):
            folder.mkdir()
            if self.user:
                shutil.chown(folder, self.user)
        self.run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self):
        self.process = self.procs.start(
            "postgres",
            [
                str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port), "-k", str(self.socket_dir),
                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=50",
            ],
            user=self.user,
        )  # fmt: skip
        wait_until(self.accepting, timeout=30, what="private PostgreSQL accepting connections")

    def accepting(self):
        with socket.socket() as sock:
            sock.settimeout(0.5)
            return sock.connect_ex(("127.0.0.1", self.port)) == 0

    def stop(self):
        # SIGINT is PostgreSQL's "fast" shutdown: sessions are cut, committed data stays.
        self.procs.stop(self.process, signal.SIGINT)

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


class PrivateRedis:
    def __init__(self, procs: Processes):
        self.procs = procs
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = self.procs.start(
            "redis",
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        )
        wait_until(self.ping, timeout=15, what="private Redis answering")

    def ping(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def kill(self):
        self.procs.stop(self.process, signal.SIGKILL)

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"


@pytest.fixture(scope="module")
def stack():
    for tool in ("wrk", "redis-server"):
        assert shutil.which(tool), f"{tool} is needed (apt-get install wrk redis-server; .ci/run installs wrk)"
    workdir = Path(tempfile.mkdtemp(prefix="bonehealth-load-"))
    os.chmod(workdir, 0o755)
    logs = ROOT / "bench" / "results" / "load-logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    procs = Processes(logs)
    try:
        postgres = PrivatePostgres(procs, workdir)
        postgres.init()
        postgres.start()
        redis = PrivateRedis(procs)
        redis.start()
        env = {
            **os.environ,
            "DATABASE_URL": postgres.url,
            "CACHE_URL": redis.url,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_DEBUG": "False",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),  # both instances sign with the same strong key
            "HOST": "127.0.0.1",
            "DJANGO_SUPERUSER_PASSWORD": "load-test-editor-password",
        }
        env.pop("GUNICORN_ACCESS_LOG", None)
        manage = [PYTHON, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run(
            [*manage, "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True,
            capture_output=True,
        )  # fmt: skip
        subprocess.run(
            [*manage, "createsuperuser", "--noinput", "--username", "editor", "--email", "editor@example.com"],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )  # fmt: skip
        instances = []
        for name in ("a", "b"):
            port = free_port()
            procs.start(
                f"gunicorn-{name}",
                [GUNICORN, "bonehealth.wsgi:application", "--config", "gunicorn.conf.py"],
                env={**env, "PORT": str(port)},
            )
            instances.append(f"http://127.0.0.1:{port}")
        for base in instances:
            wait_until(lambda base=base: fetch(base + "/healthz")[0] == 200, timeout=60, what=f"{base}/healthz 200")
        yield {"a": instances[0], "b": instances[1], "postgres": postgres, "redis": redis, "env": env}
    finally:
        procs.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)


def run_wrk(base, *, seconds, connections=64):
    command = [
        "wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
        "-s", str(Path(__file__).with_name("mixed.lua")), base,
    ]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wrk_result(process):
    output, _ = process.communicate(timeout=LOAD_SECONDS + 120)
    line = next((line for line in output.splitlines() if line.startswith("LOAD_JSON ")), None)
    assert line, output
    return json.loads(line.removeprefix("LOAD_JSON "))


def assert_clean(result):
    assert result["requests"] > 0
    failures = {key: result[key] for key in ("non_2xx", "connect_errors", "read_errors", "write_errors", "timeouts")}
    assert failures == dict.fromkeys(failures, 0), result


def test_mixed_traffic_at_64_connections_has_no_errors(stack):
    result = wrk_result(run_wrk(stack["a"], seconds=LOAD_SECONDS))
    assert_clean(result)
    # Both instances still healthy afterwards.
    for base in (stack["a"], stack["b"]):
        assert fetch(base + "/healthz")[0] == 200


def test_redis_killed_mid_run_pages_keep_being_served(stack):
    base, redis = stack["a"], stack["redis"]
    load = run_wrk(base, seconds=12, connections=32)
    time.sleep(4)
    redis.kill()
    try:
        status, headers, body = fetch(base + ARTICLE)
        assert status == 200 and ARTICLE_SLUG in body
        assert "ETag" not in headers  # rendered, not cached: the cache is gone
        healthz = fetch(base + "/healthz")
        assert healthz[0] == 200 and json.loads(healthz[2]) == {"database": "ok", "cache": "down"}
        assert_clean(wrk_result(load))
    finally:
        redis.start()
    wait_until(lambda: fetch(base + "/healthz")[0] == 200, timeout=30, what="healthz 200 after Redis returns")
    fetch(base + ARTICLE)
    assert "ETag" in fetch(base + ARTICLE)[1]  # cached again


def test_postgres_stopped_then_back_nothing_lost(stack):
    base, postgres = stack["a"], stack["postgres"]
    fetch(base + ARTICLE)  # in the page cache before the outage
    before = fetch(base + "/blog/")[2]
    postgres.stop()
    try:
        healthz = fetch(base + "/healthz")
        assert healthz[0] == 503 and json.loads(healthz[2]) == {"database": "down", "cache": "ok"}
        # A page that needs the database: the styled error page, not a traceback or a proxy error.
        # (The calculator keeps answering: its reference data is in Redis.)
        status, headers, body = fetch(base + "/blog/search/?q=outage")
        assert status == 500
        assert "<h1>Something went wrong</h1>" in body and "Traceback" not in body
        assert headers["Content-Type"].startswith("text/html")
        # A page already in the page cache is still served.
        status, _, body = fetch(base + ARTICLE)
        assert status == 200 and ARTICLE_SLUG in body
    finally:
        postgres.start()
    wait_until(lambda: fetch(base + "/healthz")[0] == 200, timeout=30, what="healthz 200 after PostgreSQL returns")
    assert fetch(base + "/blog/search/?q=outage")[0] == 200
    assert fetch(base + "/blog/")[2] == before  # nothing lost


class FormFields(html.parser.HTMLParser):
    """The fields a browser would submit from the largest <form method="post"> on a page (not the logout button)."""

    def __init__(self):
        super().__init__()
        self.forms, self.in_form, self.textarea, self.select, self.select_first = [], False, None, None, None
        self.select_chosen = False

    @property
    def fields(self):
        return max(self.forms, key=len) if self.forms else []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self.in_form = True
            self.forms.append([])
        if not self.in_form or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.forms[-1].append([attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
            self.forms[-1].append(self.textarea)
        elif tag == "select":
            self.select, self.select_first, self.select_chosen = attrs["name"], None, False
            self.select_multiple = "multiple" in attrs
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in attrs:
                self.forms[-1].append([self.select, value])
                self.select_chosen = True

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select is not None:
            if not self.select_chosen and not self.select_multiple and self.select_first is not None:
                self.forms[-1].append([self.select, self.select_first])
            self.select = None
        elif tag == "form":
            self.in_form = False

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data


def admin_session(base):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = base + "/admin/login/?next=/admin/"
    form = FormFields()
    form.feed(fetch(login, opener=opener)[2])
    fields = dict(form.fields) | {"username": "editor", "password": "load-test-editor-password"}
    status, _, body = fetch(login, data=urllib.parse.urlencode(fields).encode(), opener=opener,
                            headers={"Referer": login})  # fmt: skip
    assert status == 200 and "Log out" in body, body[:500]
    return opener


def test_edit_through_one_instance_is_served_by_the_other_on_the_next_request(stack):
    a, b = stack["a"], stack["b"]
    for _ in range(2):
        assert fetch(b + ARTICLE)[0] == 200  # b has the article cached (page cache, and its fast path)
    opener = admin_session(a)
    changelist = fetch(a + f"/admin/articles/article/?q={ARTICLE_SLUG}", opener=opener)[2]
    change_path = next(
        part.split('"')[0] for part in changelist.split('href="/admin/articles/article/')[1:] if "/change/" in part
    )
    change_url = f"{a}/admin/articles/article/{change_path}"
    form = FormFields()
    form.feed(fetch(change_url, opener=opener)[2])
    marker = f"Edited under load {int(time.time())}"
    fields = [(name, marker if name == "title" else value) for name, value in form.fields]
    fields.append(("_save", "Save"))
    status, _, body = fetch(change_url, data=urllib.parse.urlencode(fields).encode(), opener=opener,
                            headers={"Referer": change_url})  # fmt: skip
    errors = [chunk.split("</ul>")[0] for chunk in body.split('class="errorlist')[1:]]
    assert status == 200 and "errornote" not in body, errors
    status, _, body = fetch(b + ARTICLE)
    assert status == 200
    assert marker in body
