"""gunicorn settings shared by `make run`, `make bench` and production; every value can come from the environment."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Worker class and count, chosen with `python -m bench --sweep` on 2 cores (docs/performance.md): sync workers, one
# more than the cores. A third sync worker served the cached article faster and with a lower p99 than two in every
# sweep (a worker waiting on the socket or the database leaves a core idle otherwise); a fourth added nothing. gthread
# (2x4, 3x2) won throughput only for clients that keep connections alive, with a p99 of hundreds of ms at 32
# connections (connections pile up on one worker); behind nginx (deploy/nginx.conf), which buffers slow clients
# and opens a connection per request, sync is the right class anyway. WEB_CONCURRENCY overrides the count.
workers = int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) + 1))
worker_class = "sync"
# Only for a worker class with keep-alive (gthread); sync workers close each connection after the response.
keepalive = 5
timeout = 30
graceful_timeout = 10
# A worker is replaced after this many requests (a guard against slow leaks). Each replacement costs a cold start;
# at 5,000 the workers restarted every few seconds under load and the article's p99 went from ~15 ms to ~1 s.
max_requests = 50_000
max_requests_jitter = 5_000
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
preload_app = True


def when_ready(server):
    """Import every view in the master, before workers are forked (preload_app): a new worker (at start, and after
    max_requests) then serves its first page without the lazy imports, while its queue waits."""
    from django.conf import settings

    if not server.cfg.preload_app or not settings.configured:
        return  # nothing loaded in the master, or not the Django site (bench/ceiling.py uses these settings too)
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports every urls and views module)
    connections.close_all()  # nothing opened here may be shared with the forked workers
