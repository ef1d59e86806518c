"""30 browser sessions on one server at once (issue 8): zero errors, no cross-talk.

The load test drives Chromium with Playwright's async API, so it runs in its own process (the
other browser tests hold a sync Playwright loop in this one)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_thirty_sessions_at_once_stay_apart(tmp_path):
    out = tmp_path / "load.json"
    command = [sys.executable, str(ROOT / "bench" / "load.py"), "--sessions", "30",
               "--seconds", "20", "--json", str(out)]  # fmt: skip
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1500)
    assert out.exists(), run.stdout[-2000:] + run.stderr[-4000:]
    result = json.loads(out.read_text())
    print(json.dumps(result, indent=2))  # the figures, for the log
    assert result["errors"] == []  # cross-talk, exceptions, timeouts, stuck Play/Pause
    assert result["actions"] > 0  # every session loaded; under load some only load
