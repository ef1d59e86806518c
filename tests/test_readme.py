"""The README's URL parameter table documents exactly the settings the app reads."""

import re
from dataclasses import fields
from pathlib import Path

from softviz.settings import DEFAULTS
from softviz.tour_steps import STEPS

README = Path(__file__).resolve().parents[1] / "README.md"
ROW = re.compile(r"^\| `(\w+)` \| ([^|]*) \| ([^|]*) \|$")


def test_url_parameter_table_matches_the_settings():
    rows = {
        m[1]: (m[2].strip(), m[3]) for m in map(ROW.match, README.read_text().splitlines()) if m
    }
    page_owned = {"step", "z", "label", "object", "sweep", "matchup", "match", "race_steps",
                  "target"}  # fmt: skip
    expected = {f.name for f in fields(DEFAULTS)} | page_owned
    assert set(rows) == expected
    for f in fields(DEFAULTS):
        value = getattr(DEFAULTS, f.name)
        assert rows[f.name][0] == (str(int(value)) if isinstance(value, bool) else str(value))
    assert f"1 … {len(STEPS)}" in rows["step"][1]


def test_the_two_commands_come_first():
    text = README.read_text()
    first_block = text.split("```")[1]
    assert first_block.strip().splitlines() == [
        "python3 tasks.py run     # start the app, then open the printed local URL",
        "python3 tasks.py test    # run the whole test suite (sets itself up: venv, packages, "
        "Chromium)",
    ]
