"""`python -m bench.profile [PAGE ...]` (`make profile PAGE=article`): where a cold-path request spends its time.

For each page (robots, article, results, api; all four by default) it calls the site's WSGI application in one
process, page cache off, on a private SQLite database migrated from scratch (the bench's own set-up), warms it up,
then runs 1,000 requests under pyinstrument and prints the call tree and the functions that take the most time
themselves. The results and API pages ask a new question
with every request, as the bench's cold rows do. The HTML view of each profile goes to
bench/results/profile-PAGE.html. Timings from one process are not the bench's requests per second; the shares are
what to read.
"""

import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import pages
from bench.servers import PYTHON, ROOT, prepare_site, site_environment

PAGES = ("robots", "article", "results", "api")
REQUESTS = 1000
WARM_UP = 50


def question(number: int) -> dict:
    """The number-th new question, as bench/report.lua asks it: milk, calcium and age change with the number."""
    return {
        "age": 18 + (number // 200_000) % 80,
        "sex": "female",
        "life_stage": "none",
        "goal": "bone_health",
        "foods": {"milk": round((number % 2000) / 100, 2), "natto": 0.25},
        "supplements": {"calcium_mg": (number // 2000) % 100 * 50, "calcium_doses_per_day": 1, "vitamin_k2_mcg": 0},
        "medications": ["levothyroxine"],
        "conditions": [],
    }


def environ(page: str, number: int) -> dict:
    method, path, query, body = "GET", {"robots": "/robots.txt", "article": pages.ARTICLE}.get(page, ""), "", b""
    asked = question(number)
    if page == "results":
        path = "/calculator/"
        query = (
            f"age={asked['age']}&sex=female&life_stage=none&goal=bone_health&food_milk={asked['foods']['milk']:.2f}"
            f"&food_natto=0.25&calcium_mg={asked['supplements']['calcium_mg']}&calcium_doses_per_day=1"
            "&vitamin_k2_mcg=0&medications=levothyroxine"
        )
    elif page == "api":
        method, path, body = "POST", pages.API, json.dumps(asked).encode()
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "application/json" if body else "",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
    }


def profile_in_this_process(names: list[str]) -> None:
    """Run inside the site's environment (see main)."""
    from pyinstrument import Profiler

    from bonehealth.wsgi import application

    def request(page: str, number: int) -> None:
        statuses = []
        body = application(environ(page, number), lambda status, headers, *_: statuses.append(status))
        b"".join(body)
        body.close()
        if not statuses[0].startswith("200"):
            raise RuntimeError(f"{page} answered {statuses[0]}")

    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    number = 0
    for page in names:
        for _ in range(WARM_UP):
            number += 1
            request(page, number)
        profiler = Profiler(interval=0.001)
        with profiler:
            for _ in range(REQUESTS):
                number += 1
                request(page, number)
        print(f"\n== {page}: {REQUESTS} requests, {profiler.last_session.duration / REQUESTS * 1000:.2f} ms each")
        print(profiler.output_text(unicode=True))
        print(profiler.output_text(unicode=True, flat=True, processor_options={"filter_threshold": 0.02}))
        (out / f"profile-{page}.html").write_text(profiler.output_html())


def main(argv: list[str]) -> int:
    if argv[:1] == ["--inside"]:
        profile_in_this_process(argv[1:])
        return 0
    names = argv or list(PAGES)
    unknown = sorted(set(names) - set(PAGES))
    if unknown:
        print(f"Unknown page {', '.join(unknown)}: choose from {', '.join(PAGES)}.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bonehealth-profile-") as workdir:
        env = site_environment(database_url=f"sqlite:///{Path(workdir) / 'profile.sqlite3'}", DJANGO_PAGE_CACHE="False")
        env["DJANGO_SETTINGS_MODULE"] = "bonehealth.settings"
        print("[profile] migrating a private database", file=sys.stderr, flush=True)
        prepare_site(env)
        return subprocess.run([PYTHON, "-m", "bench.profile", "--inside", *names], cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
