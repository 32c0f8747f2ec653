"""Cache backends (bonehealth/cache.py): Redis that degrades to no cache when it is down, and the bounded in-process
store under threads."""

import pytest


def test_redis_cache_failure_is_logged_not_raised(caplog):
    from bonehealth.cache import ResilientRedisCache

    dead = ResilientRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    with caplog.at_level("WARNING", logger="bonehealth.cache"):
        assert dead.get("anything", "fallback") == "fallback"
        dead.set("key", "value")
        assert dead.delete("key") is False
    assert "cache get failed" in caplog.text
    assert "cache set failed" in caplog.text


@pytest.mark.django_db
def test_pages_keep_working_when_the_cache_is_down(client):
    from django.core.cache import caches

    from bonehealth.cache import ResilientRedisCache

    original = caches["default"]
    caches["default"] = ResilientRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    try:
        response = client.get("/")
        assert response.status_code == 200
        assert client.get("/healthz").json()["cache"] == "down"
    finally:
        caches["default"] = original


def test_bounded_memory_cache_get_and_evict_under_threads():
    import random
    import threading

    from bonehealth.cache import BoundedMemoryCache

    store = BoundedMemoryCache("threads-test", {"OPTIONS": {"MAX_ENTRIES": 16, "MAX_BYTES": 4_000}})
    store.clear()
    failures = []

    def work(seed):
        rng = random.Random(seed)
        try:
            for _ in range(3_000):
                key = f"k{rng.randrange(64)}"
                if rng.random() < 0.5:
                    store.set(key, b"x" * rng.randrange(1, 600), 60)
                else:
                    value = store.get(key)
                    assert value is None or isinstance(value, bytes)
        except Exception as error:  # any error in a thread is a failure of the store
            failures.append(error)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    entries, size = store.stats()
    assert entries <= 16 and size <= 4_000
