"""Server benchmark: the time of one full script run of /train after a Step (Streamlit's
AppTest runs the script in-process, so this is pure server work) against a one-button app."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
TRAIN_SCRIPT = "from softviz.ui import train\ntrain.render()\n"


def _rerun_seconds(at: AppTest, button_key: str | None, runs: int) -> float:
    at.run()
    times = []
    for _ in range(runs):
        button = at.button(key=button_key) if button_key else at.button[0]
        start = time.perf_counter()
        button.click().run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return statistics.median(times)


def run(quick: bool = False) -> dict[str, float]:
    runs = 5 if quick else 30
    train = AppTest.from_string(TRAIN_SCRIPT, default_timeout=60)
    reference = AppTest.from_file(str(ROOT / "bench" / "apps" / "one_button.py"))
    results = {
        "server_rerun_softviz_s": _rerun_seconds(train, "train_step", runs),
        "server_rerun_reference_s": _rerun_seconds(reference, None, runs),
    }
    results["server_rerun_ratio"] = (
        results["server_rerun_softviz_s"] / results["server_rerun_reference_s"]
    )
    return results
