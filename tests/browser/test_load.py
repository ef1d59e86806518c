"""30 browser sessions on one server at once (issue 8): zero errors, no cross-talk."""

import json

import pytest

from bench import load


@pytest.mark.slow
def test_thirty_sessions_at_once_stay_apart():
    result = load.run(sessions=30, seconds=20)
    print(json.dumps(result, indent=2))  # the figures, for the log
    assert result["errors"] == []
    assert result["actions"] > 0  # every session loaded; under load some only load
