"""The pages the bench measures, and what it checks besides speed: queries and bytes per page (bench/inprocess.py),
what the nginx front caches, and how soon an editor's save shows through it."""

import json
import re
import subprocess
import time

from bench.servers import PYTHON, ROOT, fetch, manage

ARTICLE_SLUG = "calcium-and-vitamin-k2-bone-health-combination"
ARTICLE = f"/blog/{ARTICLE_SLUG}/"
INDEX = "/blog/"
RESULTS_PAGE = (
    "/calculator/?age=55&sex=female&life_stage=none&goal=bone_health"
    "&food_milk=1&food_natto=0.25&calcium_mg=500&calcium_doses_per_day=1&vitamin_k2_mcg=0"
)
API = "/api/intake/"
API_BODY = {
    "age": 55,
    "sex": "female",
    "life_stage": "none",
    "goal": "bone_health",
    "foods": {"milk": 1, "natto": 0.25},
    "supplements": {"calcium_mg": 500, "calcium_doses_per_day": 1, "vitamin_k2_mcg": 0},
    "medications": ["levothyroxine"],
    "conditions": [],
}
SHARED_MAX_AGE = 5  # bonehealth/pagecache.py PAGE_CACHE_SHARED_MAX_AGE: the documented delay behind the front

IN_PROCESS = [
    {"name": "home", "method": "GET", "path": "/"},
    {"name": "article", "method": "GET", "path": ARTICLE},
    {"name": "blog index", "method": "GET", "path": INDEX},
    {"name": "calculator form", "method": "GET", "path": "/calculator/"},
    {"name": "calculator results", "method": "GET", "path": RESULTS_PAGE},
    {"name": "API POST", "method": "POST", "path": API, "body": API_BODY},
]


def check_answers(site: str) -> None:
    """The measured pages answer 200 before anything is timed: a bench of error pages would measure nothing."""
    for path in (ARTICLE, INDEX, RESULTS_PAGE):
        status = fetch(site + path)[0]
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    status = fetch(site + API, data=json.dumps(API_BODY).encode(), headers={"Content-Type": "application/json"})[0]
    if status != 200:
        raise RuntimeError(f"POST {API} answered {status}")


def count_queries(env: dict) -> dict:
    """bench.inprocess in a subprocess with the site's environment (its database): queries and bytes per page."""
    command = [PYTHON, "-m", "bench.inprocess", json.dumps(IN_PROCESS)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("bench.inprocess failed:\n" + result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def front_cache_status(front: str, article_html: bytes) -> dict:
    """What the front does with each kind of response (the second request of each: the first may fill the cache)."""
    statuses = {}
    cases = (
        ("article", ARTICLE, {}),
        ("article gzip", ARTICLE, {"Accept-Encoding": "gzip"}),
        ("article with a session cookie", ARTICLE, {"Cookie": "sessionid=x"}),
        ("admin login", "/admin/login/", {}),
        ("healthz", "/healthz", {}),
    )
    for name, path, headers in cases:
        fetch(front + path, headers=headers)
        _, response_headers, _ = fetch(front + path, headers=headers)
        statuses[name] = response_headers.get("X-Cache-Status", "not cached")
        if "Content-Encoding" in response_headers:
            statuses[name] += f" ({response_headers['Content-Encoding']})"
    css = re.search(rb'href="(/static/[^"]+\.css)"', article_html)
    if css:
        _, response_headers, _ = fetch(front + css.group(1).decode())
        statuses["hashed CSS"] = response_headers.get("Cache-Control", "-")
    return statuses


def set_title(env: dict, title: str) -> None:
    """Save the article as an editor would, from another process (manage.py shell), so its signals run."""
    manage(
        "shell", "-c",
        "from articles.models import Article\n"
        f"a = Article.objects.get(slug={ARTICLE_SLUG!r})\n"
        f"a.title = {title!r}\n"
        "a.save()\n",
        env=env,
    )  # fmt: skip


def check_edit_visibility(env: dict, front: str, direct: str) -> dict:
    """Save the article and time when each URL shows it: direct on the next request, through the front within the
    documented delay."""
    marker = f"bench-edit-{int(time.time())}"
    for base in (front, direct):  # both hold a cached copy before the edit
        fetch(base + ARTICLE)
        fetch(base + ARTICLE)
    original_title = manage(
        "shell", "-c", f"from articles.models import Article; print(Article.objects.get(slug={ARTICLE_SLUG!r}).title)",
        env=env,
    ).stdout.strip()  # fmt: skip
    set_title(env, f"{original_title} {marker}")
    saved = time.monotonic()
    direct_visible = marker in fetch(direct + ARTICLE)[2].decode()
    front_delay = None
    while time.monotonic() - saved < SHARED_MAX_AGE + 10:
        if marker in fetch(front + ARTICLE)[2].decode():
            front_delay = time.monotonic() - saved
            break
        time.sleep(0.1)
    set_title(env, original_title)
    return {
        "direct_visible_on_next_request": direct_visible,
        "front_delay_s": None if front_delay is None else round(front_delay, 2),
        "documented_delay_s": SHARED_MAX_AGE,
        "ok": direct_visible and front_delay is not None and front_delay <= SHARED_MAX_AGE + 1,
    }
