from bench import report


def result(rps, p99=5.0):
    return {"rps": rps, "p50_ms": 1.0, "p99_ms": p99, "non_2xx": 0, "errors": 0}


def full_report(**rates):
    wrk = {key: result(rates.get(key, 1000)) for key in report.LABELS}
    return {
        "date": "2026-11-26 01:00 UTC",
        "machine": {"cores": 2, "load_average": (0.5, 0.4, 0.3), "cache": "locmemcache://", "workers": "3 sync"},
        "duration": 10,
        "rounds": 3,
        "connections": 32,
        "threads": 2,
        "wrk": wrk,
        "pages": {"home": {"status": 200, "queries_uncached": 3, "queries_cached": 0, "html_bytes": 2757,
                           "html_gzip_bytes": 1256}},
        "edit": {"direct_visible_on_next_request": True, "front_delay_s": 0.4, "documented_delay_s": 5, "ok": True},
        "front_cache": {"article": "HIT"},
        "targets": report.targets_met(wrk),
    }  # fmt: skip


def test_markdown_has_a_row_per_target_with_its_ratio_to_the_ceiling_django_s_floor_and_nginx():
    text = report.markdown(full_report(ceiling=4000, floor=1500, nginx_static=40000, article=3000))
    assert "| article page, direct to gunicorn | 3,000 | 1.00 | 5.00 | 75% | 200% | 8% | 0 / 0 |" in text
    for label in report.LABELS.values():
        assert f"| {label} |" in text
    assert "| home | 200 | 3 | 0 | 2,757 | 1,256 | 0 | 0 | 0 | 0 |" in text
    assert "through the nginx front after 0.4 s (documented: within 5 s): ok." in text


def test_targets_are_reported_met_or_not_against_the_ceiling_nginx_and_django_s_floor():
    text = report.markdown(
        full_report(ceiling=1000, article=900, nginx_static=10000, article_front=7000, floor=1000, api_fresh=300,
                    results_fresh=90)
    )  # fmt: skip
    assert "cached article >= 80% of ceiling met" in text
    assert "front >= 80% of nginx NOT met" in text
    assert "fresh API >= 25% of floor met" in text
    assert "fresh results >= 10% of floor NOT met" in text
