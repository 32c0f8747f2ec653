import subprocess

import pytest

from bench import wrk

LINE = (
    'BENCH_JSON {"requests": 3000, "duration_us": 2000000, "p50_ms": 1.5, "p99_ms": 9.0, "non_2xx": 2, '
    '"connect_errors": 1, "read_errors": 0, "write_errors": 0, "timeouts": 3}'
)


def printing(text: str, *, code: int = 0) -> subprocess.Popen:
    """A stand-in for wrk: a process printing what wrk's Lua hook would, then exiting with code."""
    return subprocess.Popen(
        ["sh", "-c", f"printf '%s\\n' \"$0\"; exit {code}", text], stdout=subprocess.PIPE, text=True
    )


def test_finish_reads_the_json_line_and_adds_rate_and_errors():
    result = wrk.finish(printing(f"Running 2s test\n{LINE}"))
    assert result["rps"] == 1500
    assert result["errors"] == 4  # connect + read + write + timeouts; non-2xx answers are counted apart
    assert result["non_2xx"] == 2


@pytest.mark.parametrize(
    ("output", "code"), [("unable to connect to 127.0.0.1:1", 1), ("Running 2s test", 0)], ids=["failed", "no-line"]
)
def test_finish_without_a_result_shows_what_wrk_said(output, code):
    with pytest.raises(RuntimeError, match=output):
        wrk.finish(printing(output, code=code))


def test_summarize_takes_medians_and_adds_up_failures():
    runs = [
        {"rps": rps, "p50_ms": p50, "p99_ms": p99, "non_2xx": 1, "errors": errors}
        for rps, p50, p99, errors in ((100, 1, 10, 0), (300, 3, 30, 2), (200, 2, 50, 0))
    ]
    summary = wrk.summarize(runs)
    assert (summary["rps"], summary["p50_ms"], summary["p99_ms"]) == (200, 2, 30)
    assert summary["p99_worst_ms"] == 50
    assert (summary["non_2xx"], summary["errors"]) == (3, 2)
