"""The bench's reports: Markdown for people and JSON for tools, written to bench/results/ (ignored by git)."""

import json
import os
import sys
import time

from bench.servers import RESULTS

# What the site aims for, checked and reported (never asserted by tests: timings are noisy). The cached pages are
# measured against what serves them without Django (gunicorn's bare WSGI function, nginx's static file); the fresh
# answers against Django's own floor (/robots.txt through every middleware, page cache off): plain Django code cannot
# be faster than the framework it runs on, so the floor is what they are judged by.
TARGETS = {
    "article_vs_ceiling": 0.80,
    "front_vs_nginx": 0.80,
    # The cold path: page cache off (DJANGO_PAGE_CACHE=False), each calculator/API request a new question.
    "api_fresh_vs_floor": 0.25,
    "results_fresh_vs_floor": 0.10,
}

LABELS = {
    "ceiling": "ceiling: bare WSGI function, same gunicorn settings",
    "floor": "Django's floor: /robots.txt through every middleware, page cache off",
    "nginx_static": "nginx: the article HTML as a static file",
    "article": "article page, direct to gunicorn",
    "article_front": "article page through deploy/nginx.conf",
    "index": "blog index, direct",
    "results": "calculator results, direct",
    "api": "JSON API POST /api/intake/, direct",
    "article_cold": "cold: article, page cache off",
    "results_fresh": "cold: calculator results, a new question each request, page cache off",
    "api_fresh": "cold: JSON API, a new body each request, page cache off",
}


def machine() -> dict:
    """What the numbers depend on besides the code: recorded before the servers start."""
    return {
        "cores": os.cpu_count(),
        "load_average": os.getloadavg(),
        "python": sys.version.split()[0],
        "cache": os.environ.get("CACHE_URL", "locmemcache:// (default)").split("@")[-1],
        "workers": os.environ.get("WEB_CONCURRENCY", f"{(os.cpu_count() or 1) + 1} sync (gunicorn.conf.py default)"),
    }


def now() -> str:
    return time.strftime("%Y-%m-%d %H:%M %Z")


def pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def targets_met(wrk: dict) -> dict:
    ceiling, nginx, floor = wrk["ceiling"]["rps"], wrk["nginx_static"]["rps"], wrk["floor"]["rps"]
    return {
        "cached article >= 80% of ceiling": wrk["article"]["rps"] / ceiling >= TARGETS["article_vs_ceiling"],
        "front >= 80% of nginx": wrk["article_front"]["rps"] / nginx >= TARGETS["front_vs_nginx"],
        "fresh API >= 25% of floor": wrk["api_fresh"]["rps"] / floor >= TARGETS["api_fresh_vs_floor"],
        "fresh results >= 10% of floor": wrk["results_fresh"]["rps"] / floor >= TARGETS["results_fresh_vs_floor"],
    }


def markdown(report: dict) -> str:
    ceiling = report["wrk"]["ceiling"]["rps"]
    floor = report["wrk"]["floor"]["rps"]
    nginx = report["wrk"]["nginx_static"]["rps"]
    lines = [
        f"Measured {report['date']} on {report['machine']['cores']} cores (load average before: "
        f"{', '.join(f'{x:.2f}' for x in report['machine']['load_average'])}), wrk -t{report['threads']} "
        f"-c{report['connections']}, {report['duration']:g} s x {report['rounds']} rounds alternating (medians); "
        f"cache {report['machine']['cache']}, gunicorn workers {report['machine']['workers']}.",
        "",
        "| target | requests/s | p50 ms | p99 ms | vs ceiling | vs Django's floor | vs nginx | non-2xx / errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, label in LABELS.items():
        result = report["wrk"][key]
        lines.append(
            f"| {label} | {result['rps']:,.0f} | {result['p50_ms']:.2f} | {result['p99_ms']:.2f} | "
            f"{pct(result['rps'] / ceiling)} | {pct(result['rps'] / floor)} | {pct(result['rps'] / nginx)} | "
            f"{result['non_2xx']} / {result['errors']} |"
        )
    lines += [
        "",
        "| page | status | queries uncached | queries cached | HTML | HTML gzip | CSS | CSS gzip | JS | JS gzip |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, page in report["pages"].items():
        lines.append(
            f"| {name} | {page['status']} | {page['queries_uncached']} | {page['queries_cached']} | "
            f"{page['html_bytes']:,} | {page['html_gzip_bytes']:,} | {page.get('css_bytes', 0):,} | "
            f"{page.get('css_gzip_bytes', 0):,} | {page.get('js_bytes', 0):,} | {page.get('js_gzip_bytes', 0):,} |"
        )
    edit = report["edit"]
    lines += [
        "",
        f"Editor's save (manage.py shell, another process): direct to gunicorn visible on the next request: "
        f"{'yes' if edit['direct_visible_on_next_request'] else 'NO'}; through the nginx front after "
        f"{edit['front_delay_s']} s (documented: within {edit['documented_delay_s']} s): "
        f"{'ok' if edit['ok'] else 'FAILED'}.",
        "Front cache status (second request): "
        + ", ".join(f"{name}: {value}" for name, value in report["front_cache"].items())
        + ".",
        "",
        "Targets: " + "; ".join(f"{name} {'met' if ok else 'NOT met'}" for name, ok in report["targets"].items()) + ".",
    ]
    return "\n".join(lines) + "\n"


def sweep_markdown(
    configurations: dict, *, date: str, machine: dict, duration: float, rounds: int, connections: int, threads: int
) -> str:
    lines = [
        f"gunicorn sweep, {date}, load before {machine['load_average'][0]:.2f}, "
        f"wrk -t{threads} -c{connections} {duration:g} s x {rounds} (medians)",
        "",
        "| gunicorn | ceiling req/s | article req/s | article/ceiling | article p99 ms | API req/s | API p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, results in configurations.items():
        ceiling, article, api = results["ceiling"], results["article"], results["api"]
        lines.append(
            f"| {label} | {ceiling['rps']:,.0f} | {article['rps']:,.0f} | {pct(article['rps'] / ceiling['rps'])} | "
            f"{article['p99_ms']:.1f} | {api['rps']:,.0f} | {api['p99_ms']:.1f} |"
        )
    return "\n".join(lines) + "\n"


def write(name: str, data: dict, text: str) -> None:
    """bench/results/<name>.json and <name>.md, and the Markdown on standard output."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2) + "\n")
    (RESULTS / f"{name}.md").write_text(text)
    print(text)
