"""The content generation: one token in the key of every cache derived from the content.

Pages, API answers, the calculator's reference snapshot and the product catalogue are all keyed by ``token()``, so
one bump on save makes every copy unreachable on every worker and instance; nothing is deleted, nothing else is
signalled. The token has three parts:

- the **release** (``DJANGO_RELEASE``, or a hash of the code, the templates and the static manifest): a deploy that
  changes any of them starts with empty caches even without a migration;
- the **counter**, moved when any model of the content apps (``articles``, ``calculator``) is saved or deleted, an
  m2m relation changes, or ``migrate`` runs. With a shared cache (Redis) it lives there; with the default
  local-memory cache (``make run``: one machine, workers that share nothing) it is the modification time of a small
  file beside the SQLite database, which every process sees with one ``stat``;
- the **publication clock**: the latest publication time that has come (``register_schedule``), so a scheduled
  article changes the token at its time, on every worker, with no save. Every worker derives it from the same rows
  and the same clock, so they agree.

Apps use this module (``token``, ``kept``, ``bump``); none of them imports the page cache.
"""

import hashlib
import logging
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

COUNTER_KEY = "content:generation"
CHANGED_KEY = "content:generation:changed"  # when the counter last moved (Unix seconds), for Last-Modified
CONTENT_APPS = frozenset({"articles", "calculator"})
# Saves that only touch these fields change nothing a reader sees (a click counter saved with update_fields).
IGNORED_UPDATE_FIELDS = frozenset({"click_count", "updated"})

_memo = {}  # per process: the release, the counter file, the publication schedule of the current counter
_kept = {}  # per process: kept(...) values, each with the token it was built under
_schedules = []  # callables(now) -> (latest publication time <= now or None, sorted publication times > now)


# -- release --------------------------------------------------------------------------------------------------------


def release():
    """``DJANGO_RELEASE``, else a hash of the project's code and templates and of the static manifest."""
    if "release" not in _memo:
        _memo["release"] = getattr(settings, "RELEASE", "") or _code_hash()
    return _memo["release"]


def _code_hash():
    digest = hashlib.blake2b(digest_size=6)
    base = Path(settings.BASE_DIR)
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    sources = sorted(
        path
        for folder in ("bonehealth", "articles", "calculator", "templates")
        for path in (base / folder).rglob("*")
        if path.suffix in (".py", ".html", ".txt", ".json") and path.is_file()
    )
    for path in [*sources, manifest]:
        try:
            digest.update(path.read_bytes())
        except OSError:
            continue
    return digest.hexdigest()


# -- counter ----------------------------------------------------------------------------------------------------------


def counter_in_file():
    """True when the counter is a file (a process-local default cache), False when it is in the shared cache."""
    return isinstance(caches["default"], LocMemCache)


def counter_file():
    """Where processes without a shared cache share the counter: beside the SQLite database (it names the content it
    stands for), or ``PAGE_CACHE_GENERATION_FILE``."""
    if _memo.get("file") is None:
        configured = getattr(settings, "PAGE_CACHE_GENERATION_FILE", None)
        database = settings.DATABASES["default"]
        name = str(database.get("NAME") or "")
        if configured:
            path = Path(configured)
        elif database["ENGINE"].endswith("sqlite3") and name and not name.startswith((":memory:", "file:")):
            path = Path(f"{name}-pagecache")
        else:  # a folder of the project's own, private to its owner (not a guessable path in a shared /tmp)
            path = Path(settings.BASE_DIR) / ".run" / "pagecache-generation"
        _memo["file"] = path
    return _memo["file"]


def _touch(path):
    """Move the file's mtime forward (never back, never to the same value), creating it if needed."""
    now = time.time_ns()
    try:
        old = os.stat(path).st_mtime_ns
    except FileNotFoundError:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.touch(mode=0o600)
        old = 0
    os.utime(path, ns=(now, max(now, old + 1)))


def counter():
    """The counter, created if missing; None when the shared cache is unreachable."""
    if counter_in_file():
        path = counter_file()
        try:
            return os.stat(path).st_mtime_ns
        except FileNotFoundError:
            _touch(path)
            return os.stat(path).st_mtime_ns
    value = cache.get(COUNTER_KEY)
    if value is None:
        # Microseconds since the epoch: a counter that was lost (evicted, Redis restarted) restarts above every
        # number it reached, since each bump adds 1 and takes longer than a microsecond.
        value = time.time_ns() // 1_000
        if not cache.add(COUNTER_KEY, value, timeout=None):
            return None  # the cache is down, or another worker just created it: this request goes uncached
    return value


def bump(**_kwargs):
    """Make every derived cache unreachable, on every worker and instance."""
    if counter_in_file():
        try:
            _touch(counter_file())
        except OSError as error:
            logger.error("content generation: cannot update %s (%s)", counter_file(), error)
        return
    try:
        moved = cache.incr(COUNTER_KEY)
    except ValueError:  # no counter yet (or evicted): start one that no old entry can match
        moved = None
    if moved is None:
        cache.set(COUNTER_KEY, time.time_ns() // 1_000, timeout=None)
    cache.set(CHANGED_KEY, time.time(), timeout=None)


def last_change():
    """When the content last changed, as a Unix time: the latest save of any content row or the latest publication
    time that has come. For the Last-Modified of a page drawn from many rows. Now when it cannot be known."""
    count = counter()
    if count is None:
        return time.time()
    if counter_in_file():
        changed = count / 1e9  # the counter file's modification time
    else:
        changed = cache.get(CHANGED_KEY)
        if changed is None:  # lost with the cache: count from now, so no client is told an old page is current
            changed = time.time()
            cache.add(CHANGED_KEY, changed, timeout=None)
    return max(changed, _published_since(count))


# -- publication clock ---------------------------------------------------------------------------------------------


def register_schedule(schedule):
    """``schedule(now)`` returns (the latest publication time <= now or None, the sorted times > now)."""
    if schedule not in _schedules:
        _schedules.append(schedule)


def _published_since(count):
    """The latest publication time that has come, as a number (0 if none), for this counter's content."""
    now = timezone.now()
    memo = _memo.get("schedule")
    if memo is None or memo[0] != count:
        latest, upcoming = None, []
        try:
            for schedule in _schedules:
                last, later = schedule(now)
                if last is not None and (latest is None or last > latest):
                    latest = last
                upcoming.extend(later)
        except Exception as error:  # database down, not migrated yet: keep the last schedule, ask again next time
            logger.warning("content generation: publication schedule unavailable: %s", error.__class__.__name__)
            memo = (None, *(memo or (None, None, []))[1:])
        else:
            memo = _memo["schedule"] = (count, latest, sorted(upcoming))
    _, latest, upcoming = memo
    for moment in upcoming:
        if moment > now:
            break
        latest = moment
    return int(latest.timestamp()) if latest is not None else 0


# -- the token and what is kept under it ---------------------------------------------------------------------------


def token():
    """``release.counter.publication``: the version of every derived cache entry. None when it cannot be known (the
    shared cache is down): then nothing may be cached."""
    count = counter()
    if count is None:
        return None
    return f"{release()}.{count}.{_published_since(count)}"


def kept(key, build, *, timeout=24 * 60 * 60):
    """``build()``'s value for the current token: this process's copy, else the shared cache's, else built (and
    shared). For data every request needs (the reference snapshot, the catalogue)."""
    version = token()
    if version is None:
        return build()
    held = _kept.get(key)
    if held is not None and held[0] == version:
        return held[1]
    value = cache.get(key, version=version)
    if value is None:
        value = build()
        cache.set(key, value, timeout, version=version)
    _kept[key] = (version, value)
    return value


def forget_process_copies():
    """Tests: per-process copies must not outlive a test's rolled-back rows."""
    _kept.clear()
    _memo.pop("schedule", None)


# -- signals ---------------------------------------------------------------------------------------------------------


def _content_changed(sender, **kwargs):
    if sender._meta.app_label not in CONTENT_APPS:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields and frozenset(update_fields) <= IGNORED_UPDATE_FIELDS:
        return
    bump()
    # A request served between the save and its commit reads the old rows and may store them under the new token;
    # a second bump once the new rows are visible makes that copy unreachable.
    transaction.on_commit(bump, using=kwargs.get("using"))


def _m2m_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        _content_changed(sender, using=kwargs.get("using"))


def _migrated(sender, **kwargs):
    if sender.label in CONTENT_APPS:
        bump()


def _settings_changed(setting, **kwargs):
    if setting in ("PAGE_CACHE_GENERATION_FILE", "DATABASES", "BASE_DIR", "RELEASE", "CACHES"):
        _memo.clear()
        _kept.clear()


def connect_signals():
    """From BoneHealthConfig.ready(): invalidation works in the admin, shells and commands alike."""
    from django.core.signals import setting_changed
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    post_save.connect(_content_changed, dispatch_uid="generation.post_save")
    post_delete.connect(_content_changed, dispatch_uid="generation.post_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="generation.m2m_changed")
    post_migrate.connect(_migrated, dispatch_uid="generation.post_migrate")
    setting_changed.connect(_settings_changed, dispatch_uid="generation.setting_changed")
