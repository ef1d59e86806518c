"""The share panel, the run downloads and presentation mode on the three labs (AppTest)."""

import base64
import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from softviz.ui import common

LAB = "from softviz.ui import {0}\n{0}.render()\n"


def run(page: str, **query: str) -> AppTest:
    at = AppTest.from_string(LAB.format(page), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def link(at: AppTest) -> str:
    return at.code[0].value


def download_labels(at: AppTest) -> list[str]:
    return [el.proto.label for el in at.get("download_button")]


@pytest.mark.parametrize(
    ("page", "query", "expected"),
    [
        ("heads", {"z": "2,-1", "k": "2"}, "z=2,-1"),
        ("compare", {"matchup": "loss"}, "matchup=loss"),
        ("train", {"dataset": "xor", "hidden": "8"}, "dataset=xor&hidden=8"),
    ],
)
def test_every_lab_shares_a_link_with_its_own_keys(page, query, expected):
    at = run(page, **query)
    assert not at.exception
    assert expected in link(at)
    assert "Settings (JSON)" in download_labels(at)
    assert at.get("file_uploader")


def test_the_training_lab_offers_its_history_and_weights():
    at = run("train")
    assert download_labels(at)[-3:] == ["History (CSV)", "Weights (NPZ)", "Weights (JSON)"]


def test_presentation_mode_enlarges_the_training_labs_charts():
    plain = [json.loads(c.proto.spec) for c in run("train").get("plotly_chart")]
    big = [json.loads(c.proto.spec) for c in run("train", present="1").get("plotly_chart")]
    assert len(big) == len(plain) > 0
    for before, after in zip(plain, big, strict=True):
        assert after["layout"]["font"]["size"] >= 18
        assert after["layout"]["height"] >= before["layout"]["height"]


def test_presentation_mode_enlarges_the_play_pictures_too():
    def canvas_widths(**query) -> list[float]:
        at = run("train", **query)
        at.button(key="train_play").click().run()
        svgs = [base64.b64decode(i.url.split(",", 1)[1]).decode()
                for e in at.get("image") for i in e.proto.imgs]  # fmt: skip
        return [float(re.search(r"viewBox='0 0 ([\d.]+) ", svg).group(1)) for svg in svgs]

    plain, big = canvas_widths(), canvas_widths(present="1")
    assert len(big) == len(plain) == 4
    # A narrower canvas stretched to the same column: everything drawn 1.5× larger.
    assert all(b == pytest.approx(p / 1.5, abs=1) for p, b in zip(plain, big, strict=True))


@pytest.mark.parametrize(
    ("page", "widget", "start", "changed"),
    [("heads", "heads_k", 4, 6), ("train", "ctl_hidden", 4, 8), ("compare", "compare_seed", 4, 6)],
)
def test_a_settings_file_restores_a_view_this_session_had_before(page, widget, start, changed):
    """A URL the session wrote once is not applied again (it is a stale copy), unless a
    settings file brings it back: loading one forgets which URLs were ours."""
    param = widget.split("_")[1]
    at = run(page, **{param: str(start)})
    kind = "slider" if page != "compare" else "number_input"
    getattr(at, kind)(key=widget).set_value(changed).run()
    at.query_params[param] = str(start)  # a stale copy of the address bar: ignored
    at.run()
    assert getattr(at, kind)(key=widget).value == changed
    at.session_state[common.OURS_KEY] = []  # what loading a settings file does
    at.query_params[param] = str(start)
    at.run()
    assert not at.exception and getattr(at, kind)(key=widget).value == start
