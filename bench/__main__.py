"""`python -m bench` (`make bench`): how fast the site is, next to what the machine and the server can do at best.

It starts, each on its own loopback port and all from a private temporary folder:

- the site exactly as `make run` serves it: gunicorn with gunicorn.conf.py and bonehealth.settings, on a private
  SQLite database migrated from scratch (so the data migrations give it the launch article and the reference data);
  the cache is whatever CACHE_URL says (local memory by default, as under `make run`);
- the same site with the page cache off (DJANGO_PAGE_CACHE=False): the cold path, what every miss costs; the
  calculator and API rows there ask a new question with every request (bench/report.lua, BENCH_FRESH);
- the ceiling: a bare WSGI function (bench/ceiling.py) under the same gunicorn settings, returning the article's bytes;
- nginx (Debian's nginx-light) serving the same article HTML as a static file, and the production front from
  deploy/nginx.conf proxying to the site.

Then it drives each with wrk (2 threads, 32 connections, 10 s, alternating targets, 3 rounds; wrk's Lua hook
reports p50/p99), counts queries per page in-process, weighs HTML/CSS/JS raw and gzipped, and checks that an
editor's save (through `manage.py shell`, in the bench's database) shows through the front within the documented
delay. Writes bench/results/latest.md and latest.json (ignored by git) and prints the Markdown.

Options: --duration SECONDS, --rounds N, --quick (3 s, 1 round), --sweep (compare gunicorn worker counts and
classes on the article and the API instead). Timings depend on what else the machine is doing: `uptime` is recorded.
wrk and nginx are installed by `make bench`; run directly, the bench names what is missing.
"""

import argparse
import json
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench import pages, report, wrk
from bench.servers import (
    MissingTool,
    Processes,
    fetch,
    fresh_logs,
    prepare_site,
    require,
    site_environment,
    start_gunicorn,
    start_nginx,
    wait_for_http,
)
from bench.wrk import Target

SWEEP = {
    "sync, 2 workers": ("-k", "sync", "-w", "2"),
    "sync, 3 workers": ("-k", "sync", "-w", "3"),
    "sync, 4 workers": ("-k", "sync", "-w", "4"),
    "gthread, 2 workers x 4 threads": ("-k", "gthread", "-w", "2", "--threads", "4"),
    "gthread, 3 workers x 2 threads": ("-k", "gthread", "-w", "3", "--threads", "2"),
}


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


@dataclass
class Bench:
    """The set-up both modes share: a private folder and database, the servers started so far, the API's body."""

    workdir: Path
    procs: Processes
    env: dict
    api_body: Path

    def site(self, name: str, *, flags: tuple[str, ...] = (), **env: str) -> str:
        url = start_gunicorn(self.procs, name, env={**self.env, **env}, flags=flags)
        wait_for_http(url + "/healthz")
        return url

    def ceiling(self, article_html: bytes, *, flags: tuple[str, ...] = ()) -> str:
        """The bare WSGI function serving article_html under the same gunicorn flags as the site."""
        body = self.workdir / "ceiling.html"
        body.write_bytes(article_html)
        env = {**self.env, "BENCH_BODY_FILE": str(body)}
        url = start_gunicorn(self.procs, "ceiling", env=env, app="bench.ceiling:application", flags=flags)
        wait_for_http(url + "/")
        return url


@contextmanager
def bench_site(*tools: str) -> Iterator[Bench]:
    """Check the tools, then migrate a private database and collect static files; every server is stopped and the
    folder removed on the way out, whatever happened."""
    require("wrk", *tools)
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bonehealth-bench-")))
        procs = Processes(fresh_logs("logs"))
        stack.callback(procs.stop_all)
        env = site_environment(database_url=f"sqlite:///{workdir / 'bench.sqlite3'}")
        log("migrating a private database (data migrations load the article and the reference data)")
        prepare_site(env)
        api_body = workdir / "api.json"
        api_body.write_text(json.dumps(pages.API_BODY))
        yield Bench(workdir, procs, env, api_body)


def run(args) -> int:
    machine = report.machine()
    with bench_site("nginx") as bench:
        site = bench.site("site")
        # The same site with the page cache off: what every miss costs (a save empties the cache; every calculator
        # answer is its own URL).
        cold = bench.site("cold", DJANGO_PAGE_CACHE="False")
        status, _, article_html = fetch(site + pages.ARTICLE)
        if status != 200:
            raise RuntimeError(f"{pages.ARTICLE} answered {status}")
        html = bench.workdir / "html"
        html.mkdir()
        (html / "article.html").write_bytes(article_html)
        ceiling = bench.ceiling(article_html)
        static, front = start_nginx(bench.procs, bench.workdir, static_root=html, site=site)
        for url in (static + "/article.html", front + pages.ARTICLE):
            wait_for_http(url)
        pages.check_answers(site)

        log("counting queries and bytes in-process")
        page_report = pages.count_queries(bench.env)

        targets = {
            "ceiling": Target(ceiling + "/"),
            # What any page costs at least: the smallest view, through the whole middleware stack, uncached.
            "floor": Target(cold + "/robots.txt"),
            "nginx_static": Target(static + "/article.html"),
            "article": Target(site + pages.ARTICLE),
            "article_front": Target(front + pages.ARTICLE),
            "index": Target(site + pages.INDEX),
            "results": Target(site + pages.RESULTS_PAGE),
            "api": Target(site + pages.API, body=bench.api_body),
            "article_cold": Target(cold + pages.ARTICLE),
            "results_fresh": Target(cold + "/calculator/", fresh="results"),
            "api_fresh": Target(cold + pages.API, fresh="api"),
        }
        log("warming up, then measuring")
        results = wrk.measure(
            targets, duration=args.duration, rounds=args.rounds, connections=args.connections, threads=args.threads,
            progress=lambda number, name: log(f"round {number}/{args.rounds}: {report.LABELS[name]}"),
        )  # fmt: skip

        log("checking that an editor's save shows through the front")
        front_cache = pages.front_cache_status(front, article_html)
        edit = pages.check_edit_visibility(bench.env, front, site)

    data = {
        "date": report.now(),
        "machine": machine,
        "duration": args.duration,
        "rounds": args.rounds,
        "connections": args.connections,
        "threads": args.threads,
        "wrk": results,
        "pages": page_report,
        "edit": edit,
        "front_cache": front_cache,
        "targets": report.targets_met(results),
    }
    report.write("latest", data, report.markdown(data))
    failures = sum(result["non_2xx"] + result["errors"] for result in results.values())
    if failures or not edit["ok"]:
        log(f"FAILED: {failures} non-2xx/errors under load; edit check ok={edit['ok']}")
        return 1
    return 0


def sweep(args) -> int:
    """The article (cached), the API and the ceiling for a few worker counts and classes, to choose
    gunicorn.conf.py's. Each configuration's ceiling runs under the same flags, so the ratio is like for like."""
    machine = report.machine()
    configurations = {}
    with bench_site() as bench:
        for label, flags in SWEEP.items():
            site = bench.site("site", flags=flags)
            ceiling = bench.ceiling(fetch(site + pages.ARTICLE)[2], flags=flags)
            targets = {
                "ceiling": Target(ceiling + "/"),
                "article": Target(site + pages.ARTICLE),
                "api": Target(site + pages.API, body=bench.api_body),
            }
            results = wrk.measure(
                targets, duration=args.duration, rounds=args.rounds, connections=args.connections, threads=args.threads
            )
            bench.procs.stop_all()
            configurations[label] = results
            log(
                f"{label}: ceiling {results['ceiling']['rps']:,.0f}/s, article {results['article']['rps']:,.0f}/s, "
                f"API {results['api']['rps']:,.0f}/s"
            )
    text = report.sweep_markdown(
        configurations, date=report.now(), machine=machine, duration=args.duration, rounds=args.rounds,
        connections=args.connections, threads=args.threads,
    )  # fmt: skip
    report.write("sweep", configurations, text)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="3 s, one round: a smoke test of the harness")
    parser.add_argument("--sweep", action="store_true", help="compare gunicorn worker counts and classes")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.rounds = 3, 1
    try:
        return sweep(args) if args.sweep else run(args)
    except MissingTool as error:
        log(str(error))
        return 2


if __name__ == "__main__":
    sys.exit(main())
