"""Load and fault tests: minutes long, they start their own Redis, PostgreSQL and gunicorn instances on loopback
ports. `make test` skips the folder; CI runs it separately (.ci/run):

    BONEHEALTH_LOAD_TESTS=1 .venv/bin/python -m pytest tests/load
"""

import os

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "load: minutes-long load and fault tests with private servers (tests/load)")


if not os.environ.get("BONEHEALTH_LOAD_TESTS"):
    collect_ignore_glob = ["test_*.py"]


# These tests talk to their own servers over HTTP and use no test database: the suite's session-wide reference and
# catalogue snapshots (tests/conftest.py) are not built here.
@pytest.fixture(scope="session", autouse=True)
def reference():
    return None


@pytest.fixture(scope="session", autouse=True)
def catalogue():
    return None
