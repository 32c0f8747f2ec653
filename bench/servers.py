"""Servers on loopback ports for `python -m bench` and tests/load: the site under gunicorn (as `make run` serves it),
nginx, a private PostgreSQL cluster and a private Redis, each started from a private folder and stopped by its own
process group id, never by name.

This module installs nothing: `require()` says which tools are missing and how to get them (`make bench` installs
them).
"""

import glob
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
# gunicorn run by this interpreter (not the venv's script, whose first line names the Python it was installed with).
GUNICORN = [sys.executable, "-m", "gunicorn"]

# What provides each tool on Debian, for the message when one is missing.
PACKAGES = {"wrk": "wrk", "nginx": "nginx-light", "redis-server": "redis-server"}


def which(tool: str) -> str | None:
    """The tool's path; nginx lives in /usr/sbin, which is not on every user's PATH."""
    return shutil.which(tool) or next(
        (str(path) for path in (Path("/usr/sbin") / tool, Path("/usr/bin") / tool) if path.exists()), None
    )


class MissingTool(RuntimeError):
    pass


def require(*tools: str) -> dict[str, str]:
    """Each tool's path, or MissingTool naming every missing one and the command that installs them."""
    paths = {tool: which(tool) for tool in tools}
    missing = [tool for tool, path in paths.items() if path is None]
    if missing:
        packages = " ".join(PACKAGES.get(tool, tool) for tool in missing)
        raise MissingTool(
            f"{', '.join(missing)} not found: sudo apt-get install {packages} "
            "(`make bench-tools`, which `make bench` runs, installs wrk and nginx-light)"
        )
    return paths


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, *, data: bytes | None = None, headers: dict | None = None, opener=None, timeout: float = 10):
    """(status, headers, body bytes) for any status, error statuses included."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_until(check: Callable, *, timeout: float, what: str):
    """check()'s first true result, retried every 0.2 s (connection errors count as not yet)."""
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
    raise TimeoutError(f"{what} not true within {timeout:.0f} s (last: {last!r})")


def wait_for_http(url: str, *, timeout: float = 60) -> None:
    """The server at url answers (anything but a server error)."""
    wait_until(lambda: fetch(url, timeout=2)[0] < 500, timeout=timeout, what=f"{url} answering")


def wait_for_port(port: int, *, timeout: float = 30) -> None:
    def accepting():
        with socket.socket() as sock:
            sock.settimeout(0.5)
            return sock.connect_ex(("127.0.0.1", port)) == 0

    wait_until(accepting, timeout=timeout, what=f"127.0.0.1:{port} accepting connections")


def fresh_logs(name: str) -> Path:
    """Server logs go to bench/results/<name>/ (ignored by git) so a failed run can be read afterwards."""
    logs = RESULTS / name
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    return logs


class Processes:
    """Servers this run started; each in its own session, stopped by its process group id."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.running: list[subprocess.Popen] = []

    def start(self, name: str, command: list[str], *, env: dict | None = None, user: str | None = None):
        if user:
            command = ["runuser", "-u", user, "--", *command]
        with (self.logs / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.running.append(process)
        return process

    def stop(self, process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
        if process.poll() is None:
            os.killpg(process.pid, sig)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.running = [running for running in self.running if running is not process]

    def stop_all(self) -> None:
        for process in reversed(self.running):
            self.stop(process)


def site_environment(*, database_url: str, **extra: str) -> dict:
    """The site's environment as production sets it (DEBUG off, a strong key of its own), on the given database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "False",
        # With DEBUG off the site refuses a weak key; every instance started with this environment signs with this one.
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "PYTHONPATH": str(ROOT),
        "HOST": "127.0.0.1",
        **extra,
    }
    env.pop("GUNICORN_ACCESS_LOG", None)
    return env


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    command = [PYTHON, str(ROOT / "manage.py"), *args]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result


def prepare_site(env: dict) -> None:
    """Migrate the (empty) database, so the data migrations load the articles and the reference data, and collect
    static files, as `make run` does."""
    manage("migrate", "--noinput", env=env)
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)


def start_gunicorn(
    procs: Processes, name: str, *, env: dict, app: str = "bonehealth.wsgi:application", flags: tuple[str, ...] = ()
) -> str:
    """gunicorn with gunicorn.conf.py, as `make run` starts it, on a free port; returns its base URL."""
    port = free_port()
    procs.start(name, [*GUNICORN, app, "--config", "gunicorn.conf.py", *flags], env={**env, "PORT": str(port)})
    return f"http://127.0.0.1:{port}"


def start_nginx(procs: Processes, workdir: Path, *, static_root: Path, site: str) -> tuple[str, str]:
    """One nginx serving static_root as plain files (the floor of what serving bytes costs) and deploy/nginx.conf,
    the production front, proxying to the site. Returns (static URL, front URL)."""
    nginx = require("nginx")["nginx"]
    static_port, front_port = free_port(), free_port()
    front = (ROOT / "deploy" / "nginx.conf").read_text()
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{site.rsplit(':', 1)[1]};",
        "listen 80;": f"listen 127.0.0.1:{front_port};",
        "server_name example.com;": "server_name 127.0.0.1 localhost;",
        "/srv/bonehealth/staticfiles/": f"{ROOT / 'staticfiles'}/",
        "/srv/bonehealth/media/": f"{ROOT / 'media'}/",
        "/var/cache/nginx/bonehealth": str(workdir / "nginx-cache"),
    }
    for old, new in replacements.items():
        if old not in front:
            raise RuntimeError(f"deploy/nginx.conf no longer contains {old!r}; update bench/servers.py")
        front = front.replace(old, new)
    temp = workdir / "nginx-temp"
    temp.mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""
    config = workdir / "nginx.conf"
    config.write_text(f"""{user}worker_processes auto;
daemon off;
pid {workdir / "nginx.pid"};
error_log {procs.logs / "nginx-error.log"} warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path {temp}/client;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;

    server {{
        listen 127.0.0.1:{static_port};
        root {static_root};
    }}

    # deploy/nginx.conf, with this run's ports and folders:
{front}
}}
""")
    procs.start("nginx", [nginx, "-c", str(config), "-p", str(workdir), "-e", "stderr"])
    return f"http://127.0.0.1:{static_port}", f"http://127.0.0.1:{front_port}"


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

    def init(self) -> None:
        for folder in (self.data, self.socket_dir):
            folder.mkdir()
            if self.user:
                shutil.chown(folder, self.user)
        command = [str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True)

    def start(self) -> None:
        self.process = self.procs.start(
            "postgres",
            [
                str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port), "-k", str(self.socket_dir),
                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=50",
            ],
            user=self.user,
        )  # fmt: skip
        wait_for_port(self.port)

    def stop(self) -> None:
        # SIGINT is PostgreSQL's "fast" shutdown: sessions are cut, committed data stays.
        self.procs.stop(self.process, signal.SIGINT)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


class PrivateRedis:
    def __init__(self, procs: Processes):
        self.procs = procs
        self.port = free_port()
        self.process = None

    def start(self) -> None:
        self.process = self.procs.start(
            "redis",
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        )
        wait_until(self.ping, timeout=15, what="private Redis answering")

    def ping(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def kill(self) -> None:
        self.procs.stop(self.process, signal.SIGKILL)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"
