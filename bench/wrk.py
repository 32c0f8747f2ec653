"""Driving wrk: one run, and warmed-up alternating rounds over several targets (medians).

Every Lua script used here ends its output with one `BENCH_JSON {...}` line (bench/report.lua, tests/load/mixed.lua)
holding requests, duration, latency percentiles and error counts.
"""

import json
import os
import statistics
import subprocess
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.servers import require

REPORT_SCRIPT = Path(__file__).with_name("report.lua")


@dataclass(frozen=True)
class Target:
    """A URL to load. body: a file POSTed with every request; fresh: "results" or "api", a new question every
    request (bench/report.lua)."""

    url: str
    body: Path | None = None
    fresh: str | None = None


def start(
    target: Target,
    *,
    duration: float,
    connections: int = 32,
    threads: int = 2,
    timeout: float = 5,
    script: Path = REPORT_SCRIPT,
) -> subprocess.Popen:
    """wrk running in the background; finish() waits for it and reads its result."""
    env = dict(os.environ)
    if target.fresh:
        env["BENCH_FRESH"] = target.fresh
        env["BENCH_PATH"] = urllib.parse.urlsplit(target.url).path
    elif target.body is not None:
        env["BENCH_BODY_FILE"] = str(target.body)
    command = [
        require("wrk")["wrk"], f"-t{threads}", f"-c{connections}", f"-d{duration:g}s", "--timeout", f"{timeout:g}s",
        "-s", str(script), target.url,
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(process: subprocess.Popen, *, timeout: float = 600) -> dict:
    """The run's BENCH_JSON result, plus requests per second and the sum of every kind of error."""
    output, _ = process.communicate(timeout=timeout)
    line = next((line for line in output.splitlines() if line.startswith("BENCH_JSON ")), None)
    if process.returncode or line is None:
        raise RuntimeError(f"wrk exited {process.returncode} without a result:\n{output[-3000:]}")
    result = json.loads(line.removeprefix("BENCH_JSON "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = sum(result[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    return result


def run(target: Target, **options) -> dict:
    return finish(start(target, **options))


def summarize(runs: list[dict]) -> dict:
    return {
        "rps": statistics.median(run["rps"] for run in runs),
        "p50_ms": statistics.median(run["p50_ms"] for run in runs),
        "p99_ms": statistics.median(run["p99_ms"] for run in runs),
        "p99_worst_ms": max(run["p99_ms"] for run in runs),
        "non_2xx": sum(run["non_2xx"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
        "rounds": runs,
    }


def measure(
    targets: dict[str, Target], *, duration: float, rounds: int, progress: Callable | None = None, **options
) -> dict[str, dict]:
    """Each target warmed up for 2 s, then `rounds` rounds that visit the targets in turn (so a passing disturbance
    on the machine touches them all alike), summarized as medians."""
    for target in targets.values():
        run(target, duration=2, **options)
    runs = {name: [] for name in targets}
    for round_number in range(1, rounds + 1):
        for name, target in targets.items():
            if progress:
                progress(round_number, name)
            runs[name].append(run(target, duration=duration, **options))
    return {name: summarize(value) for name, value in runs.items()}
