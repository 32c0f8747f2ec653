"""Cache backends: a Redis cache that degrades to "no cache" when Redis is unreachable, and a bounded in-process LRU."""

import logging
import sys
import threading
import time
from collections import OrderedDict

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class ResilientRedisCache(RedisCache):
    """Every read misses and every write is dropped while Redis is down; each failure is logged once per call."""

    def _safely(self, operation, default, *args, **kwargs):
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except (RedisError, OSError) as error:
            logger.warning("cache %s failed, serving without cache: %s", operation, error.__class__.__name__)
            return default

    def get(self, key, default=None, version=None):
        return self._safely("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._safely("get_many", {}, keys, version)

    def set(self, key, value, timeout=None, version=None):
        return self._safely("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=None, version=None):
        return self._safely("add", False, key, value, timeout, version)

    def set_many(self, data, timeout=None, version=None):
        return self._safely("set_many", list(data), data, timeout, version)

    def delete(self, key, version=None):
        return self._safely("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._safely("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        return self._safely("incr", None, key, delta, version)

    def touch(self, key, timeout=None, version=None):
        return self._safely("touch", False, key, timeout, version)

    def has_key(self, key, version=None):
        return self._safely("has_key", False, key, version)

    def clear(self):
        return self._safely("clear", False)


class _Store:
    """One LRU shared by every BoundedMemoryCache instance of a location (Django makes one instance per thread)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.entries = OrderedDict()  # key -> (expires or None, size, value)
        self.bytes = 0


_stores: dict[str, _Store] = {}
_stores_lock = threading.Lock()


def size_of(value) -> int:
    """What a value weighs: its ``size`` attribute (a cached page), its length (bytes, str), its items' (a tuple),
    else an estimate."""
    size = getattr(value, "size", None)
    if isinstance(size, int):
        return size
    if isinstance(value, bytes | str):
        return len(value)
    if isinstance(value, tuple | list):
        return 64 + sum(size_of(item) for item in value)
    return sys.getsizeof(value)


class BoundedMemoryCache(BaseCache):
    """A per-process LRU, bounded in entries (``MAX_ENTRIES``) and in bytes (``OPTIONS["MAX_BYTES"]``), thread safe.

    Values are kept as they are, not pickled: store immutable values only (cached pages are). Reads and evictions
    hold the store's lock, so a value another thread evicts is a miss, never an error.
    """

    def __init__(self, location, params):
        super().__init__(params)
        options = params.get("OPTIONS") or {}
        self.max_bytes = int(options.get("MAX_BYTES", params.get("MAX_BYTES", 32 * 1024 * 1024)))
        with _stores_lock:
            self._store = _stores.setdefault(location or "default", _Store())

    def make_and_validate_key(self, key, version=None):
        return self.make_key(key, version=version)  # any string will do: nothing here is sent to memcached

    def _drop(self, key):
        _, size, _ = self._store.entries.pop(key)
        self._store.bytes -= size

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        store = self._store
        with store.lock:
            held = store.entries.get(key)
            if held is None:
                return default
            if held[0] is not None and held[0] <= time.time():
                self._drop(key)
                return default
            store.entries.move_to_end(key)
            return held[2]

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        size = size_of(value)
        store = self._store
        with store.lock:
            if key in store.entries:
                self._drop(key)
            if size > self.max_bytes:
                return
            store.entries[key] = (self.get_backend_timeout(timeout), size, value)
            store.bytes += size
            while len(store.entries) > self._max_entries or store.bytes > self.max_bytes:
                self._drop(next(iter(store.entries)))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self.has_key(key, version=version):
            return False
        self.set(key, value, timeout, version=version)
        return True

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._store.lock:
            held = self._store.entries.get(key)
            if held is None:
                return False
            self._store.entries[key] = (self.get_backend_timeout(timeout), held[1], held[2])
            return True

    def has_key(self, key, version=None):
        sentinel = object()
        return self.get(key, sentinel, version=version) is not sentinel

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._store.lock:
            if key not in self._store.entries:
                return False
            self._drop(key)
            return True

    def clear(self):
        with self._store.lock:
            self._store.entries.clear()
            self._store.bytes = 0

    def stats(self) -> tuple[int, int]:
        """(entries, bytes) held now."""
        with self._store.lock:
            return len(self._store.entries), self._store.bytes
