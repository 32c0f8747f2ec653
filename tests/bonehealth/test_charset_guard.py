"""Requests whose Content-Type Django cannot use (a charset Python cannot decode text with, a parameter in any form
Django cannot parse) are a 400, never a 500: through the WSGI application (bonehealth/charset_guard.py) and through
gunicorn."""

import io
import itertools
import json
import os
import socket
import subprocess
import sys
import time
from urllib.request import Request, urlopen

import pytest

from tests.processes import BASE_DIR, GOOD_KEY


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


BAD_CONTENT_TYPES = [
    *(f"application/json; charset={name}" for name in ("rot13", "base64", "zlib_codec", "hex", "nonsense")),
    "application/json; charset=undefined",
    "application/json; charset=idna",
    "application/json; charset=",
    # RFC 2231 parameters: an unknown encoding of the value, a non-text charset spelled the long way, another parameter.
    "application/json; charset*=bogus''utf-8",
    "application/json; charset*=utf-8''rot13",
    "application/json; charset*=utf-8'en'%72%6F%74%31%33",
    "multipart/form-data; boundary*=bogus''x",
    "application/json; charset*0*=bogus''utf; charset*1=-8",
    "application/json; x=" + "a" * 20_000,
]


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", BAD_CONTENT_TYPES)
@pytest.mark.parametrize(
    "method,path",
    [("GET", "/calculator/"), ("POST", "/api/intake/"), ("GET", "/"), ("POST", "/admin/login/")],
    ids=["calculator", "api", "home", "login"],
)
def test_unreadable_content_types_are_a_400(site_wsgi_app, content_type, method, path):
    status, headers, body = wsgi_request(
        site_wsgi_app, method, path, content_type=content_type, body=b"{}", query="age=5"
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


def test_gunicorn_answers_bad_content_types_with_a_400(tmp_path):
    """The real server: before this guard gunicorn answered charset=rot13 and charset*=bogus''utf-8 with a bare 500
    and a traceback."""
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
        [sys.executable, "-m", "gunicorn", "bonehealth.wsgi:application", "--config", "gunicorn.conf.py"],
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
        for (method, path), content_type in itertools.product(
            (("GET", "/calculator/?age=5"), ("POST", "/api/intake/")),
            ("application/json; charset=rot13", "application/json; charset*=bogus''utf-8"),
        ):
            request = Request(
                f"http://127.0.0.1:{port}{path}",
                data=b"{}" if method == "POST" else None,
                method=method,
                headers={"Content-Type": content_type},
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
