"""The server's own ceiling: a bare WSGI function returning the article's bytes, run under the site's gunicorn settings.

`python -m bench` starts it as `gunicorn bench.ceiling:application --config gunicorn.conf.py` with BENCH_BODY_FILE
pointing at the article HTML it saved from the real site.
"""

import os
from pathlib import Path

BODY = Path(os.environ["BENCH_BODY_FILE"]).read_bytes()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
