"""Summarize Lighthouse JSON reports for bench/audit.sh: `python -m bench.audit_report name=report.json ...`
writes bench/results/audit.md and audit.json and prints the Markdown."""

import json
import sys
from pathlib import Path

from bench import report

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def summarize(path: Path) -> dict:
    lighthouse = json.loads(path.read_text())
    audits = lighthouse["audits"]
    failed = sorted(
        audit_id
        for audit_id, audit in audits.items()
        if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") == "binary"
    )
    return {
        "url": lighthouse["finalDisplayedUrl"],
        "scores": {name: round(lighthouse["categories"][name]["score"] * 100) for name in CATEGORIES},
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "bytes": round(audits["total-byte-weight"]["numericValue"]),
        "failed_binary_audits": failed,
        "lighthouse": lighthouse["lighthouseVersion"],
    }


def main(*reports: str) -> int:
    pages = {name: summarize(Path(path)) for name, path in (item.split("=", 1) for item in reports)}
    lines = [
        f"Lighthouse {next(iter(pages.values()))['lighthouse']} (mobile), {report.now()}",
        "",
        "| page | performance | accessibility | best practices | SEO | LCP ms | CLS | TBT ms | bytes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, page in pages.items():
        scores = page["scores"]
        lines.append(
            f"| {name} | {scores['performance']} | {scores['accessibility']} | {scores['best-practices']} | "
            f"{scores['seo']} | {page['lcp_ms']} | {page['cls']} | {page['tbt_ms']} | {page['bytes']:,} |"
        )
    for name, page in pages.items():
        if page["failed_binary_audits"]:
            lines.append(f"\n{name}: failed audits: {', '.join(page['failed_binary_audits'])}")
    report.write("audit", pages, "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
