"""Load and fault tests: minutes long, they start their own Redis, PostgreSQL and gunicorn instances on loopback
ports. `make test` skips the folder; CI runs it separately (.ci/run):

    BONEHEALTH_LOAD_TESTS=1 .venv/bin/python -m pytest tests/load
"""

import os


def pytest_configure(config):
    config.addinivalue_line("markers", "load: minutes-long load and fault tests with private servers (tests/load)")


if not os.environ.get("BONEHEALTH_LOAD_TESTS"):
    collect_ignore_glob = ["test_*.py"]
