"""The benchmark runs and reports every figure (its numbers are judged by people, not tests)."""

import math

from bench import engine, server
from bench.run import TARGETS, table, verdict


def test_engine_and_server_benchmarks_report_positive_figures():
    results = engine.run(quick=True) | server.run(quick=True)
    for key in ("engine_softviz_us", "engine_bare_numpy_us", "server_rerun_softviz_s"):
        assert math.isfinite(results[key]) and results[key] > 0
    text = table(results)
    assert all(name in text for name, *_ in TARGETS)


def test_verdicts_compare_in_the_right_direction():
    assert verdict(1.2, "<=", 1.3) == "met" and verdict(1.4, "<=", 1.3) == "MISSED"
    assert verdict(9.0, ">=", 8.0) == "met" and verdict(None, ">=", 8.0) == "not measured"
