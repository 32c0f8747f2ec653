"""Summarize Lighthouse JSON reports for bench/audit.sh: `python -m bench.audit_report OUT_DIR name=report.json ...`."""

import json
import sys
import time
from pathlib import Path

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def summarize(path: Path) -> dict:
    report = json.loads(path.read_text())
    audits = report["audits"]
    failed = sorted(
        audit_id
        for audit_id, audit in audits.items()
        if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") == "binary"
    )
    return {
        "url": report["finalDisplayedUrl"],
        "scores": {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES},
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "bytes": round(audits["total-byte-weight"]["numericValue"]),
        "failed_binary_audits": failed,
        "lighthouse": report["lighthouseVersion"],
    }


def main(out_dir: str, *reports: str) -> int:
    pages = {name: summarize(Path(path)) for name, path in (item.split("=", 1) for item in reports)}
    lines = [
        f"Lighthouse {next(iter(pages.values()))['lighthouse']} (mobile), {time.strftime('%Y-%m-%d %H:%M %Z')}",
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
    text = "\n".join(lines) + "\n"
    Path(out_dir, "audit.md").write_text(text)
    Path(out_dir, "audit.json").write_text(json.dumps(pages, indent=2) + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
