"""Extreme settings (issue 8): divergence is caught and explained, and no NaN or infinity ever
reaches a chart, on /train and /compare."""

import base64
import json
import math
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

EXTREMES = {
    "train": [
        {"lr": "10", "init": "5", "dataset": "xor", "hidden": "64"},
        {"lr": "10", "temperature": "0.05", "k": "10", "loss": "mse", "head": "sigmoid"},
        {"temperature": "0.05", "init": "5", "dataset": "spiral", "activation": "sigmoid"},
        {"hidden": "128", "batch": "0", "n": "5000", "dataset": "moons", "momentum": "0.99",
         "lr": "10"},
    ],
    "compare": [
        {"lr": "10", "init": "5", "dataset": "xor", "hidden": "64"},
        {"lr": "10", "matchup": "loss", "temperature": "0.05"},
        {"lr": "10", "matchup": "kway", "k": "10"},
    ],
}  # fmt: skip
CASES = [(page, query) for page, queries in EXTREMES.items() for query in queries]


def non_finite(node, gaps_allowed: bool = False) -> bool:
    """Whether a parsed Plotly spec holds NaN or ±inf anywhere, typed arrays included.

    Two figures use NaN on purpose, as Plotly's "draw nothing here": a mosaic of small images
    (a heatmap with hoverongaps false) between its tiles, and a line trace between separate
    outlines. There NaN is allowed; infinity never is.
    """
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            values = np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"])
            bad = np.isinf(values) if gaps_allowed else ~np.isfinite(values)
            return values.dtype.kind == "f" and bool(bad.any())
        gaps = gaps_allowed or node.get("hoverongaps") is False or node.get("mode") == "lines"
        return any(non_finite(v, gaps) for v in node.values())
    if isinstance(node, list):
        return any(non_finite(v, gaps_allowed) for v in node)
    if isinstance(node, float):
        return math.isinf(node) or (math.isnan(node) and not gaps_allowed)
    return False


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def picture_draws_non_finite(at: AppTest) -> bool:
    """Whether a Play frame (an SVG picture) prints or places NaN or infinity anywhere."""
    for element in at.get("image"):
        for image in element.proto.imgs:
            svg = base64.b64decode(image.url.split(",", 1)[1]).decode()
            root = ET.fromstring(svg)
            for node in root.iter():
                shown = [v for k, v in node.attrib.items() if k != "href"] + [node.text or ""]
                if any(word in v.lower() for v in shown for word in ("nan", "inf")):
                    return True
    return False


@pytest.mark.slow
@pytest.mark.parametrize(("page", "query"), CASES)
def test_extreme_settings_never_draw_nan_or_raise(page, query):
    at = AppTest.from_string(f"from softviz.ui import {page}\n{page}.render()\n",
                             default_timeout=120)  # fmt: skip
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    for _ in range(3):
        at.button(key=f"{page}_step10").click().run()
        assert not at.exception
        assert not any(non_finite(spec) for spec in chart_specs(at))
    steps = int(next(m.value for m in at.metric if m.label == "Steps").replace(",", ""))
    if not at.button(key=f"{page}_play").disabled:  # Play frames: the pictures are clean too
        at.button(key=f"{page}_play").click().run()
        for _ in range(3):
            at.run()
            assert not at.exception and not picture_draws_non_finite(at)
            assert not any(non_finite(spec) for spec in chart_specs(at))
        at.button(key=f"{page}_play").click().run()
    diverged = [e.value for e in at.error if "diverged" in e.value.lower()]
    # Either it trained all 30 steps (and played on), or it stopped early and said why.
    assert steps == 30 or diverged, (steps, [e.value for e in at.error])
