"""Figures of /compare: two heads side by side. Arrays in, one Plotly figure (with subplots) out.

Line styles are fixed across the page: the first contender solid orange, the second dashed
teal drawn on top (so two identical curves still show both), a reference dotted black.
Probabilities use their own purple–white–orange scale (white at p = ½); signed quantities
use the shared DIVERGING scale centred at zero.

Speed: these figures are rebuilt on every Play frame. Each is made in one `go.Figure(...)`
call from plain dicts, on a subplot grid laid out once per shape, and without the
`plotly_white` template (copying it costs ~25 ms per figure; Streamlit's chart theme restyles
fonts and grids anyway, and every colour here is set explicitly).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from softviz.figures.common import DIVERGING, NEGATIVE_COLOUR, POSITIVE_COLOUR, symmetric_limit

LINE_STYLES = (
    {"color": "#E69F00", "width": 3.5, "dash": "solid"},
    {"color": "#009E73", "width": 2.0, "dash": "dash"},
    {"color": "#000000", "width": 1.5, "dash": "dot"},
)
# p(class 1): purple (class 0) – white (undecided) – orange (class 1); not a signed quantity.
PROBABILITY = [[0.0, "#542788"], [0.25, "#998ec3"], [0.5, "#f7f7f7"], [0.75, "#f1a340"],
               [1.0, "#b35806"]]  # fmt: skip
CLASS_COLOURS = ("#542788", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
                 "#CC79A7", "#999999", "#000000")  # fmt: skip
GAP_FLOOR = 1e-18  # |difference| of exactly 0 is drawn here on a log axis
DIFFERENCE_FLOOR = 0.05  # the difference map's scale never shrinks below ±this (no noise art)
MARGIN_RANGE = 15.0  # margins are drawn on [−this, this]; beyond, at the edge
GRADIENT_FLOOR = 1e-7  # |∂L/∂z| below this is drawn at the bottom of its log axis
RACE_COLOURS = ("#009E73", "#E69F00", "#E69F00", "#009E73")


# --- a subplot grid as plain dicts ---------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _grid_json(rows: int, cols: int, titles: tuple[str, ...], options: str) -> str:
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, **json.loads(options))
    layout = fig.to_dict()["layout"]
    layout.pop("template", None)
    return json.dumps(layout)


def _grid(rows: int, cols: int, titles: Sequence[str], **options: Any) -> dict:
    """make_subplots' layout (axis domains, title annotations) as a fresh dict; the grid is
    computed once per shape and titles, then copied."""
    layout = json.loads(_grid_json(rows, cols, tuple(titles), json.dumps(options)))
    for note in layout.get("annotations", []):
        note["font"] = {"size": 13}
    return layout


def _axis(layout: dict, n: int, xy: str) -> dict:
    """Subplot n's x or y axis dict (n counts cells row by row from 1)."""
    return layout.setdefault(f"{xy}axis{'' if n == 1 else n}", {})


def _on(n: int) -> dict[str, str]:
    """The axis references that put a trace in subplot n."""
    suffix = "" if n == 1 else str(n)
    return {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}


def _hline(n: int, y: float) -> dict:
    """A dotted horizontal line across subplot n."""
    suffix = "" if n == 1 else str(n)
    return {"type": "line", "xref": f"x{suffix} domain", "x0": 0, "x1": 1, "yref": f"y{suffix}",
            "y0": y, "y1": y, "line": {"color": "#888", "dash": "dot", "width": 1}}  # fmt: skip


def _figure(data: list, layout: dict, height: int, legend: bool = True) -> go.Figure:
    """The figure from its traces and layout, in one validated constructor call."""
    layout.update(
        template="none", height=height, uirevision="compare", showlegend=legend,
        margin={"l": 10, "r": 10, "t": 85 if legend else 40, "b": 10},
        legend={"orientation": "h", "yref": "container", "y": 0.995, "yanchor": "top",
                "x": 0, "xanchor": "left"},
        font={"size": 12}, paper_bgcolor="white", plot_bgcolor="white",
    )  # fmt: skip
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")):
            axis.setdefault("gridcolor", "#ebf0f8")
            axis.setdefault("zerolinecolor", "#ebf0f8")
            axis.setdefault("automargin", True)
    return go.Figure(data=data, layout=layout)


# --- curves over the steps -----------------------------------------------------------------


@dataclass(frozen=True)
class Curves:
    """Per-side series over the recorded steps: names (s,), steps (n,), and (s, n) arrays."""

    names: Sequence[str]
    steps: np.ndarray
    loss: Sequence[np.ndarray]
    accuracy: Sequence[np.ndarray]


def _style(i: int) -> dict:
    return LINE_STYLES[min(i, len(LINE_STYLES) - 1)]


def _lines(n: int, curves: Curves, series: Sequence[np.ndarray], legend: bool) -> list[dict]:
    """One line per side in subplot n, in drawing order, so the second lies on the first."""
    steps = curves.steps.astype(np.float32)
    return [
        {"type": "scatter", "x": steps, "y": np.asarray(values, dtype=np.float32), "name": name,
         "mode": "lines", "line": _style(i), "legendgroup": name, "showlegend": legend,
         "hovertemplate": f"{name}<br>step %{{x}}: %{{y:.6g}}<extra></extra>", **_on(n)}
        for i, (name, values) in enumerate(zip(curves.names, series, strict=True))
    ]  # fmt: skip


def _step_axis(layout: dict, n: int, curves: Curves) -> None:
    _axis(layout, n, "x").update(range=[0, max(10.0, float(curves.steps[-1]))], title="step")


def _curves(layout: dict, curves: Curves) -> list[dict]:
    """Loss (training set) in subplot 1 and accuracy (test set) in subplot 2."""
    top = max(float(np.nanmax(loss)) for loss in curves.loss)
    _axis(layout, 1, "y").update(range=[0, 1.05 * max(top, 1e-3)])
    _axis(layout, 2, "y").update(range=[0, 1.02], tickformat=".0%")
    for n in (1, 2):
        _step_axis(layout, n, curves)
    return _lines(1, curves, curves.loss, True) + _lines(2, curves, curves.accuracy, False)


def _gap(layout: dict, curves: Curves, n: int) -> list[dict]:
    """|loss_a − loss_b| per step in subplot n on a log axis, with the 10⁻⁹ line of the test."""
    gap = np.maximum(np.abs(curves.loss[0] - curves.loss[1]), GAP_FLOOR).astype(np.float32)
    layout.setdefault("shapes", []).append(_hline(n, 1e-9))
    _axis(layout, n, "y").update(type="log", range=[-18.5, 1], exponentformat="power")
    _step_axis(layout, n, curves)
    return [{"type": "scatter", "x": curves.steps.astype(np.float32), "y": gap, "mode": "lines",
             "line": {"color": "#444", "width": 2}, "showlegend": False, "name": "|loss gap|",
             "hovertemplate": "step %{x}: |gap| = %{y:.3g}<extra></extra>", **_on(n)}]  # fmt: skip


# --- match-up 1 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plane:
    """p(class 1) of two sides on a grid: xs (m,), ys (m,), p_a, p_b (m, m); points X (n, 2), y."""

    xs: np.ndarray
    ys: np.ndarray
    p_a: np.ndarray
    p_b: np.ndarray
    X: np.ndarray
    y: np.ndarray


def _map(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, n: int, **extra: Any) -> dict:
    """A heatmap in subplot n; float values travel as float32, class indices as int8."""
    z = z.astype(np.float32) if z.dtype.kind == "f" else z.astype(np.int8)
    return {"type": "heatmap", "x": xs.astype(np.float32), "y": ys.astype(np.float32), "z": z,
            **_on(n), **extra}  # fmt: skip


def _points(X: np.ndarray, y: np.ndarray, n: int) -> dict:
    colours = [CLASS_COLOURS[int(c) % len(CLASS_COLOURS)] for c in y]
    return {"type": "scatter", "x": X[:, 0].astype(np.float32), "y": X[:, 1].astype(np.float32),
            "mode": "markers", "showlegend": False, "hoverinfo": "skip",
            "marker": {"color": colours, "size": 5, "line": {"color": "white", "width": 0.7}},
            **_on(n)}  # fmt: skip


def _colourbar(title: str, y: float, length: float = 0.22) -> dict:
    return {"title": {"text": title, "side": "right"}, "thickness": 10, "len": length, "y": y,
            "yanchor": "middle", "x": 1.01}  # fmt: skip


def _plane(layout: dict, plane: Plane, names: Sequence[str], first: int) -> list[dict]:
    """p_a, p_b and p_a − p_b in subplots first … first + 2."""
    data = []
    for n, p, name in zip((first, first + 1), (plane.p_a, plane.p_b), names, strict=False):
        tip = f"{name}<br>(%{{x:.2f}}, %{{y:.2f}}): p(1) = %{{z:.4f}}<extra></extra>"
        data += [_map(plane.xs, plane.ys, p, n, coloraxis="coloraxis", hovertemplate=tip),
                 _points(plane.X, plane.y, n)]  # fmt: skip
    diff = plane.p_a - plane.p_b
    tip = "(%{x:.2f}, %{y:.2f}): p_a − p_b = %{z:.3g}<extra></extra>"
    data.append(
        _map(plane.xs, plane.ys, diff, first + 2, coloraxis="coloraxis2", hovertemplate=tip)
    )
    limit = max(symmetric_limit(diff), DIFFERENCE_FLOOR)
    layout["coloraxis"] = {"colorscale": PROBABILITY, "cmin": 0, "cmax": 1,
                           "colorbar": _colourbar("p(1)", 0.33)}  # fmt: skip
    layout["coloraxis2"] = {"colorscale": DIVERGING, "cmin": -limit, "cmax": limit,
                            "colorbar": _colourbar("p_a − p_b", 0.08)}  # fmt: skip
    for n in (first, first + 1, first + 2):
        _axis(layout, n, "x")["range"] = [float(plane.xs[0]), float(plane.xs[-1])]
        _axis(layout, n, "y")["range"] = [float(plane.ys[0]), float(plane.ys[-1])]
    return data


GAP_TITLE = "|loss_a − loss_b| (dotted: 10⁻⁹)"


def binary_figure(curves: Curves, plane: Plane | None, test_p: Sequence[np.ndarray]) -> go.Figure:
    """Match-up 1: loss, accuracy and |loss gap| over the steps; then the two decision surfaces
    and their difference for 2-D data, or p_a against p_b on the test set for images.

    test_p: p(class 1) of the two contenders on the test set, (n_test,) each.
    """
    if plane is None:
        return _binary_images(curves, test_p)
    titles = ("Loss (training set)", "Accuracy (test set)", GAP_TITLE,
              f"p(class 1): {curves.names[0]}", f"p(class 1): {curves.names[1]}",
              "Difference p_a − p_b")  # fmt: skip
    layout = _grid(2, 3, titles, vertical_spacing=0.14, horizontal_spacing=0.06)
    data = (
        _curves(layout, curves) + _gap(layout, curves, 3) + _plane(layout, plane, curves.names, 4)
    )
    return _figure(data, layout, height=720)


def _binary_images(curves: Curves, test_p: Sequence[np.ndarray]) -> go.Figure:
    titles = ("Loss (training set)", "Accuracy (test set)", GAP_TITLE, "p(object), test set")
    layout = _grid(1, 4, titles, horizontal_spacing=0.06)
    scatter = {
        "type": "scatter",
        "x": test_p[0].astype(np.float32),
        "y": test_p[1].astype(np.float32),
        "mode": "markers",
        "showlegend": False,
        "marker": {"color": "#444", "size": 5, "opacity": 0.6},
        "hovertemplate": "p_a = %{x:.6f}<br>p_b = %{y:.6f}<extra></extra>",
        **_on(4),
    }
    diagonal = {
        "type": "scatter",
        "x": [0, 1],
        "y": [0, 1],
        "mode": "lines",
        "showlegend": False,
        "line": {"color": "#aaa", "dash": "dot"},
        "hoverinfo": "skip",
        **_on(4),
    }
    _axis(layout, 4, "x").update(range=[-0.02, 1.02], title=curves.names[0])
    _axis(layout, 4, "y").update(range=[-0.02, 1.02], title=curves.names[1])
    data = _curves(layout, curves) + _gap(layout, curves, 3) + [diagonal, scatter]
    return _figure(data, layout, height=400)  # fmt: skip


# --- match-up 2 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarginCloud:
    """Per training example of each side: margin (n,) and |∂L/∂z| (n,); plus closed-form
    curves over `grid` (m,) for each side (the theory the dots must sit on)."""

    margins: Sequence[np.ndarray]
    gradients: Sequence[np.ndarray]
    grid: np.ndarray
    theory: Sequence[np.ndarray]


def _cloud(name: str, i: int, m: np.ndarray, g: np.ndarray) -> dict:
    colour = _style(i)["color"]
    return {"type": "scatter", "x": np.clip(m, -MARGIN_RANGE, MARGIN_RANGE).astype(np.float32),
            "y": np.maximum(g, GRADIENT_FLOOR).astype(np.float32), "mode": "markers",
            "name": f"{name} (examples)", "legendgroup": name,
            "marker": {"color": colour, "size": 6, "symbol": ("circle", "x-thin-open")[min(i, 1)],
                       "opacity": 0.65, "line": {"width": 1.2, "color": colour}},
            "hovertemplate": f"{name}<br>margin %{{x:.3g}}<br>|∂L/∂z| %{{y:.3g}}<extra></extra>",
            **_on(3)}  # fmt: skip


def _wrong_zone(wrong_below: float) -> tuple[dict, dict]:
    """The shaded confidently-wrong band of subplot 3 and its label."""
    band = {
        "type": "rect",
        "xref": "x3",
        "x0": -MARGIN_RANGE,
        "x1": wrong_below,
        "yref": "y3 domain",
        "y0": 0,
        "y1": 1,
        "fillcolor": "#d62728",
        "opacity": 0.07,
        "line": {"width": 0},
        "layer": "below",
    }
    label = {
        "text": "confidently wrong",
        "xref": "x3",
        "x": -MARGIN_RANGE,
        "xanchor": "left",
        "yref": "y3 domain",
        "y": 1,
        "yanchor": "top",
        "showarrow": False,
        "font": {"size": 11, "color": "#a33"},
    }
    return band, label  # fmt: skip


def loss_figure(curves: Curves, cloud: MarginCloud, wrong_below: float) -> go.Figure:
    """Match-up 2: loss and accuracy over the steps; below, |∂L/∂z| against the margin for
    every training example of both nets at the current step, on a log axis, with the
    confidently-wrong zone (margin < wrong_below) shaded and the closed forms as lines."""
    titles = (
        "Loss (training set; each in its own units)",
        "Accuracy (test set)",
        "Per training example, now: |∂L/∂z| against the margin (off-scale: at the edge)",
    )
    layout = _grid(2, 2, titles, specs=[[{}, {}], [{"colspan": 2}, None]], vertical_spacing=0.14,
                   row_heights=[0.4, 0.6])  # fmt: skip
    data = _curves(layout, curves)
    for i, name in enumerate(curves.names):
        data.append(_cloud(name, i, cloud.margins[i], cloud.gradients[i]))
        data.append({"type": "scatter", "x": cloud.grid, "y": cloud.theory[i], "mode": "lines",
                     "line": {**_style(i), "width": 1.5}, "showlegend": False,
                     "name": f"{name}: closed form", "hoverinfo": "skip", **_on(3)})  # fmt: skip
    band, label = _wrong_zone(wrong_below)
    layout.setdefault("shapes", []).append(band)
    layout.setdefault("annotations", []).append(label)
    _axis(layout, 3, "x").update(
        range=[-MARGIN_RANGE, MARGIN_RANGE],
        zeroline=True,
        zerolinecolor="#888",
        title="margin m (logits; < 0: misclassified)",
    )
    low = float(np.log10(GRADIENT_FLOOR))
    _axis(layout, 3, "y").update(type="log", range=[low, 0.3], exponentformat="power",
                                 title="|∂L/∂z|")  # fmt: skip
    return _figure(data, layout, height=740)


# --- match-up 3 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExampleArrays:
    """One example through each head: jacobian (k, k), error p − y (k,), grad_W2 (k, H)."""

    name: str
    jacobian: np.ndarray
    error: np.ndarray
    grad_W2: np.ndarray


@dataclass(frozen=True)
class Regions:
    """Decisions of two K-way heads on a grid: xs, ys (m,); classes_a, classes_b (m, m) int;
    total_b (m, m) = Σ_k p_k of the second head; points X (n, 2), y (n,)."""

    xs: np.ndarray
    ys: np.ndarray
    classes_a: np.ndarray
    classes_b: np.ndarray
    total_b: np.ndarray
    X: np.ndarray
    y: np.ndarray


def _cells(values: np.ndarray, x: list[str], y: list[str], n: int, axis: str, what: str) -> dict:
    small = values.shape[0] <= 12 and values.shape[1] <= 12
    cell = {"text": [[f"{v:.2g}" for v in row] for row in values], "texttemplate": "%{text}"}
    return {"type": "heatmap", "z": values.astype(np.float32), "x": x, "y": y, "coloraxis": axis,
            "hovertemplate": f"row %{{y}}, col %{{x}}<br>{what} = %{{z:.4g}}<extra></extra>",
            **(cell if small else {}), **_on(n)}  # fmt: skip


def _signed_bars(values: np.ndarray, labels: list[str], n: int) -> dict:
    colours = [POSITIVE_COLOUR if v >= 0 else NEGATIVE_COLOUR for v in values]
    return {"type": "bar", "x": labels, "y": values.astype(np.float32), "showlegend": False,
            "marker": {"color": colours}, "text": [f"{v:+.2f}" for v in values],
            "textposition": "outside", "cliponaxis": False,
            "hovertemplate": "%{x}: %{y:.4g}<extra></extra>", **_on(n)}  # fmt: skip


def _class_scale(k: int) -> list[list]:
    """A stepwise colour scale: integer class c ∈ 0 … k − 1 gets CLASS_COLOURS[c]."""
    scale = []
    for c in range(k):
        colour = CLASS_COLOURS[c % len(CLASS_COLOURS)]
        scale += [[c / k, colour], [(c + 1) / k, colour]]
    return scale


# Cells of the K-way figure on a 6-column grid: curves (3 × 2 columns), then two columns of
# three columns each for Jacobians, p − y and ∂L/∂W2, then the regions (3 × 2 columns).
KWAY_SPECS = ([[{"colspan": 2}, None] * 3] + [[{"colspan": 3}, None, None] * 2] * 3
              + [[{"colspan": 2}, None] * 3])  # fmt: skip
PUSH, JACOBIANS, ERRORS, GRADIENTS, REGIONS = 3, (4, 5), (6, 7), (8, 9), (10, 11, 12)


def _kway_titles(names: Sequence[str]) -> list[str]:
    pairs = [f"{what}: {name}" for what in ("Jacobian ∂p/∂z", "∂L/∂z = p − y",
             "∂L/∂W2 = (p − y) hᵀ") for name in names]  # fmt: skip
    return ["Loss (training set; CE vs Σ BCE)", "Accuracy (test set)",
            "Push on wrong rows ÷ pull on the true row", *pairs,
            f"Predicted class: {names[0]}", f"Predicted class: {names[1]}",
            f"Σ_k p_k − 1: {names[1]} (softmax: always 0)"]  # fmt: skip


def _row_bar(layout: dict, n: int, title: str) -> dict:
    """A colour bar beside the grid row that holds subplot n, as tall as that row."""
    low, high = _axis(layout, n, "y")["domain"]
    return {"title": {"text": title, "side": "right"}, "thickness": 10, "len": high - low,
            "y": (low + high) / 2, "yanchor": "middle", "x": 1.01}  # fmt: skip


def _example_traces(layout: dict, examples: Sequence[ExampleArrays], inputs: list[str]) -> list:
    """Jacobians, p − y and the rows of ∂L/∂W2 of one example, one column per head."""
    k = len(examples[0].error)
    outputs, probs = [f"z{i}" for i in range(k)], [f"p{i}" for i in range(k)]
    data = []
    for i, ex in enumerate(examples):
        data += [
            _cells(ex.jacobian, outputs, probs, JACOBIANS[i], "coloraxis", "∂p/∂z"),
            _signed_bars(ex.error, outputs, ERRORS[i]),
            _cells(ex.grad_W2, inputs, outputs, GRADIENTS[i], "coloraxis2", "∂L/∂W2"),
        ]
    bound = lambda key: symmetric_limit(np.array([getattr(ex, key) for ex in examples]))  # noqa: E731
    for n in (*JACOBIANS, *GRADIENTS):
        _axis(layout, n, "y").update(autorange="reversed", type="category")
        _axis(layout, n, "x").update(type="category")
    reach = 1.4 * max(bound("error"), 0.05)
    for n in ERRORS:
        _axis(layout, n, "y")["range"] = [-reach, reach]
    layout["coloraxis"] = {
        "colorscale": DIVERGING,
        "cmin": -bound("jacobian"),
        "cmax": bound("jacobian"),
        "colorbar": _row_bar(layout, 4, "∂p/∂z"),
    }
    layout["coloraxis2"] = {
        "colorscale": DIVERGING,
        "cmin": -bound("grad_W2"),
        "cmax": bound("grad_W2"),
        "colorbar": _row_bar(layout, 8, "∂L/∂W2"),
    }
    return data  # fmt: skip


def _region_traces(layout: dict, r: Regions, k: int) -> list:
    """Each head's predicted class over the plane, and Σ_k p_k − 1 of the K sigmoids."""
    data = []
    for n, classes in zip(REGIONS[:2], (r.classes_a, r.classes_b), strict=True):
        data += [
            _map(
                r.xs,
                r.ys,
                classes,
                n,
                colorscale=_class_scale(k),
                zmin=-0.5,
                zmax=k - 0.5,
                showscale=False,
                opacity=0.55,
                hovertemplate="class %{z}<extra></extra>",
            ),
            _points(r.X, r.y, n),
        ]
    top = max(1.0, float(r.total_b.max()) - 1)
    data += [
        _map(
            r.xs,
            r.ys,
            r.total_b - 1,
            REGIONS[2],
            colorscale=DIVERGING,
            zmid=0,
            zmin=-1,
            zmax=top,
            colorbar=_row_bar(layout, REGIONS[2], "Σp − 1"),
            hovertemplate="Σ_k p_k − 1 = %{z:.3f}<extra></extra>",
        ),
        _points(r.X, r.y, REGIONS[2]),
    ]
    for n in REGIONS:
        _axis(layout, n, "x")["range"] = [float(r.xs[0]), float(r.xs[-1])]
        _axis(layout, n, "y")["range"] = [float(r.ys[0]), float(r.ys[-1])]
    return data  # fmt: skip


def kway_figure(
    curves: Curves,
    push: Sequence[np.ndarray],
    examples: Sequence[ExampleArrays],
    inputs: Sequence[str],
    regions: Regions,
) -> go.Figure:
    """Match-up 3 in one figure: loss, accuracy and push ÷ pull over the steps; one example's
    Jacobians, p − y and rows of ∂L/∂W2 side by side (diverging scale, one per row); then
    each head's predicted class over the plane and Σ_k p_k − 1 of the K sigmoids (a softmax
    always sums to 1; independent sigmoids need not: < 1 claims little, > 1 several)."""
    k = len(examples[0].error)
    layout = _grid(
        5,
        6,
        _kway_titles(curves.names),
        specs=KWAY_SPECS,
        vertical_spacing=0.055,
        horizontal_spacing=0.05,
        row_heights=[0.17, 0.19, 0.13, 0.21, 0.3],
    )
    data = _curves(layout, curves) + _lines(PUSH, curves, push, legend=False)
    layout["shapes"] = [_hline(PUSH, 1.0)]
    _axis(layout, PUSH, "y")["range"] = [0, max(k, max(float(np.nanmax(p)) for p in push)) * 1.05]
    _step_axis(layout, PUSH, curves)
    data += _example_traces(layout, examples, list(inputs)) + _region_traces(layout, regions, k)
    return _figure(data, layout, height=1750)  # fmt: skip


# --- the race --------------------------------------------------------------------------------


def race_figure(steps: dict[str, np.ndarray], limit: int, target: float) -> go.Figure:
    """Steps to reach the target per seed, one box with its points per racer; a seed that
    never reached it is drawn as an × above the limit."""
    data = []
    for i, (name, values) in enumerate(steps.items()):
        reached, colour = np.isfinite(values), RACE_COLOURS[i % len(RACE_COLOURS)]
        name = name.replace(" (", "<br>(")  # two-line tick labels, never rotated
        data.append({"type": "box", "y": values[reached], "name": name, "boxpoints": "all",
                     "jitter": 0.35, "pointpos": 0, "marker": {"color": colour, "size": 8},
                     "line": {"color": colour}, "fillcolor": "rgba(0,0,0,0.03)",
                     "hovertemplate": "%{y} steps<extra></extra>"})  # fmt: skip
        missed = int((~reached).sum())
        if missed:
            data.append({"type": "scatter", "x": [name] * missed, "y": [limit * 1.05] * missed,
                         "mode": "markers", "marker": {"symbol": "x", "size": 10, "color": "#444"},
                         "hovertemplate": "not reached<extra></extra>"})  # fmt: skip
    layout = {
        "shapes": [_hline(1, limit)],
        "yaxis": {"range": [0, limit * 1.12], "title": f"steps to {target:.0%} test accuracy"},
        "annotations": [
            {
                "text": f"limit: {limit} steps",
                "xref": "x domain",
                "x": 0,
                "xanchor": "left",
                "yref": "y",
                "y": limit,
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 11, "color": "#666"},
            }
        ],
    }
    return _figure(data, layout, height=430, legend=False)  # fmt: skip
