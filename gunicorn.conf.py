"""gunicorn settings shared by `make run`, `make bench` and production; every value can come from the environment."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Worker class and count, chosen with `python -m bench --sweep` on 2 cores (README, "Performance"): sync workers, one
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
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
preload_app = True
