"""Figures of /compare: two heads side by side. Arrays in, one Plotly figure (with subplots) out.

Line styles are fixed across the page: the first contender solid orange, the second dashed
teal drawn on top (so two identical curves still show both), a reference dotted black.
Probabilities use their own purple–white–orange scale (white at p = ½); signed quantities
use the shared DIVERGING scale centred at zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from softviz.figures.common import (
    DIVERGING,
    NEGATIVE_COLOUR,
    POSITIVE_COLOUR,
    base_layout,
    symmetric_limit,
)

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
MARGIN_RANGE = 10.0  # margins are drawn on [−this, this]; beyond, at the edge


@dataclass(frozen=True)
class Curves:
    """Per-side series over the recorded steps: names (s,), steps (n,), and (s, n) arrays."""

    names: Sequence[str]
    steps: np.ndarray
    loss: Sequence[np.ndarray]
    accuracy: Sequence[np.ndarray]


@dataclass(frozen=True)
class Plane:
    """p(class 1) of two sides on a grid: xs (m,), ys (m,), p_a, p_b (m, m); points X (n, 2), y."""

    xs: np.ndarray
    ys: np.ndarray
    p_a: np.ndarray
    p_b: np.ndarray
    X: np.ndarray
    y: np.ndarray


def _style(i: int) -> dict:
    return LINE_STYLES[min(i, len(LINE_STYLES) - 1)]


def _add_lines(fig: go.Figure, cell: tuple[int, int], curves: Curves, series, legend: bool):
    """One line per side, in drawing order, so the second side lies on top of the first."""
    for i, (name, values) in enumerate(zip(curves.names, series, strict=True)):
        fig.add_trace(
            go.Scatter(x=curves.steps, y=np.asarray(values, dtype=np.float32), name=name,
                       mode="lines", line=_style(i), legendgroup=name, showlegend=legend,
                       hovertemplate=f"{name}<br>step %{{x}}: %{{y:.6g}}<extra></extra>"),
            row=cell[0], col=cell[1],
        )  # fmt: skip


def _step_range(curves: Curves) -> list[float]:
    return [0, max(10.0, float(curves.steps[-1]))]


def _add_curves(fig: go.Figure, curves: Curves, row: int = 1) -> None:
    """Loss (training set) in column 1 and accuracy (test set) in column 2 of `row`."""
    _add_lines(fig, (row, 1), curves, curves.loss, legend=True)
    _add_lines(fig, (row, 2), curves, curves.accuracy, legend=False)
    top = max(float(np.nanmax(loss)) for loss in curves.loss)
    fig.update_yaxes(range=[0, 1.05 * max(top, 1e-3)], row=row, col=1)
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", row=row, col=2)
    for col in (1, 2):
        fig.update_xaxes(range=_step_range(curves), title_text="step", row=row, col=col)


def _add_gap(fig: go.Figure, curves: Curves, cell: tuple[int, int]) -> None:
    """|loss_a − loss_b| per step on a log axis, with the 1e-9 line the engine test holds."""
    gap = np.maximum(np.abs(curves.loss[0] - curves.loss[1]), GAP_FLOOR)
    fig.add_trace(
        go.Scatter(x=curves.steps, y=gap.astype(np.float32), mode="lines", showlegend=False,
                   line={"color": "#444", "width": 2}, name="|loss gap|",
                   hovertemplate="step %{x}: |gap| = %{y:.3g}<extra></extra>"),
        row=cell[0], col=cell[1],
    )  # fmt: skip
    # (add_hline's annotation lands in the wrong place on a log axis, so the title names it)
    fig.add_hline(y=1e-9, line_dash="dot", line_color="#888", row=cell[0], col=cell[1])
    fig.update_yaxes(type="log", range=[-18.5, 1], exponentformat="power", row=cell[0],
                     col=cell[1])  # fmt: skip
    fig.update_xaxes(range=_step_range(curves), title_text="step", row=cell[0], col=cell[1])


def _probability_map(plane: Plane, p: np.ndarray, name: str) -> go.Heatmap:
    return go.Heatmap(
        x=plane.xs.astype(np.float32), y=plane.ys.astype(np.float32),
        z=p.astype(np.float32), coloraxis="coloraxis", name=name,
        hovertemplate=f"{name}<br>(%{{x:.2f}}, %{{y:.2f}}): p(1) = %{{z:.4f}}<extra></extra>",
    )  # fmt: skip


def _points(X: np.ndarray, y: np.ndarray, colours: Sequence[str] = CLASS_COLOURS) -> go.Scatter:
    return go.Scatter(
        x=X[:, 0].astype(np.float32), y=X[:, 1].astype(np.float32), mode="markers",
        marker={"color": [colours[int(c)] for c in y], "size": 5,
                "line": {"color": "white", "width": 0.7}},
        showlegend=False, hoverinfo="skip",
    )  # fmt: skip


def _add_plane(fig: go.Figure, plane: Plane, names: Sequence[str], row: int) -> float:
    """p_a, p_b and p_a − p_b side by side in `row`; returns max |p_a − p_b| on the grid."""
    diff = plane.p_a - plane.p_b
    for col, (p, name) in enumerate(zip((plane.p_a, plane.p_b), names, strict=False), start=1):
        fig.add_trace(_probability_map(plane, p, name), row=row, col=col)
        fig.add_trace(_points(plane.X, plane.y), row=row, col=col)
    fig.add_trace(
        go.Heatmap(x=plane.xs.astype(np.float32), y=plane.ys.astype(np.float32),
                   z=diff.astype(np.float32), coloraxis="coloraxis2",
                   hovertemplate="(%{x:.2f}, %{y:.2f}): p_a − p_b = %{z:.3g}<extra></extra>"),
        row=row, col=3,
    )  # fmt: skip
    limit = max(symmetric_limit(diff), DIFFERENCE_FLOOR)
    fig.update_layout(
        coloraxis={"colorscale": PROBABILITY, "cmin": 0, "cmax": 1, "colorbar": _bar("p(1)", 0)},
        coloraxis2={"colorscale": DIVERGING, "cmin": -limit, "cmax": limit,
                    "colorbar": _bar("p_a − p_b", 1)},
    )  # fmt: skip
    for col in (1, 2, 3):
        fig.update_xaxes(range=[plane.xs[0], plane.xs[-1]], row=row, col=col)
        fig.update_yaxes(range=[plane.ys[0], plane.ys[-1]], row=row, col=col)
    return float(np.abs(diff).max())


def _bar(title: str, slot: int) -> dict:
    """A short colour bar beside the bottom row; slot 0 and 1 sit one above the other."""
    return {"title": {"text": title, "side": "right"}, "thickness": 10, "len": 0.22,
            "y": 0.33 - 0.25 * slot, "yanchor": "middle", "x": 1.01}  # fmt: skip


def binary_figure(curves: Curves, plane: Plane | None, test_p: Sequence[np.ndarray]) -> go.Figure:
    """Match-up 1: loss, accuracy and |loss gap| over the steps; then the two decision surfaces
    and their difference for 2-D data, or p_a against p_b on the test set for images.

    test_p: p(class 1) of the two contenders on the test set, (n_test,) each.
    """
    if plane is None:
        return _binary_images(curves, test_p)
    titles = ("Loss (training set)", "Accuracy (test set)", "|loss_a − loss_b| (dotted: 10⁻⁹)",
              f"p(class 1): {curves.names[0]}", f"p(class 1): {curves.names[1]}",
              "Difference p_a − p_b")  # fmt: skip
    fig = make_subplots(rows=2, cols=3, subplot_titles=titles, vertical_spacing=0.14,
                        horizontal_spacing=0.06)  # fmt: skip
    _add_curves(fig, curves)
    _add_gap(fig, curves, (1, 3))
    _add_plane(fig, plane, curves.names, row=2)
    return _legend_on_top(base_layout(fig, height=700, top=60))


def _binary_images(curves: Curves, test_p: Sequence[np.ndarray]) -> go.Figure:
    titles = ("Loss (training set)", "Accuracy (test set)", "|loss_a − loss_b| (dotted: 10⁻⁹)",
              "p(object) on the test set")  # fmt: skip
    fig = make_subplots(rows=1, cols=4, subplot_titles=titles, horizontal_spacing=0.06)
    _add_curves(fig, curves)
    _add_gap(fig, curves, (1, 3))
    fig.add_trace(
        go.Scatter(x=test_p[0].astype(np.float32), y=test_p[1].astype(np.float32),
                   mode="markers", marker={"color": "#444", "size": 5, "opacity": 0.6},
                   showlegend=False,
                   hovertemplate="p_a = %{x:.6f}<br>p_b = %{y:.6f}<extra></extra>"),
        row=1, col=4,
    )  # fmt: skip
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", showlegend=False,
                             line={"color": "#aaa", "dash": "dot"}, hoverinfo="skip"),
                  row=1, col=4)  # fmt: skip
    fig.update_xaxes(range=[-0.02, 1.02], title_text=curves.names[0], row=1, col=4)
    fig.update_yaxes(range=[-0.02, 1.02], title_text=curves.names[1], row=1, col=4)
    return _legend_on_top(base_layout(fig, height=380, top=60))


def _legend_on_top(fig: go.Figure) -> go.Figure:
    fig.update_layout(legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1,
                              "xanchor": "right"}, uirevision="compare")  # fmt: skip
    return fig


@dataclass(frozen=True)
class MarginCloud:
    """Per training example of each side: margin (n,) and |∂L/∂z| (n,); plus closed-form
    curves over `grid` (m,) for each side (the theory the dots must sit on)."""

    margins: Sequence[np.ndarray]
    gradients: Sequence[np.ndarray]
    grid: np.ndarray
    theory: Sequence[np.ndarray]


def loss_figure(curves: Curves, cloud: MarginCloud, wrong_below: float) -> go.Figure:
    """Match-up 2: loss and accuracy over the steps; below, |∂L/∂z| against the margin for
    every training example of both nets at the current step, on a log axis, with the
    confidently-wrong zone (margin < wrong_below) shaded."""
    titles = ("Loss (training set; each in its own units)", "Accuracy (test set)",
              "Per training example, now: gradient size |∂L/∂z| against the margin")  # fmt: skip
    fig = make_subplots(rows=2, cols=2, specs=[[{}, {}], [{"colspan": 2}, None]],
                        subplot_titles=titles, vertical_spacing=0.14,
                        row_heights=[0.4, 0.6])  # fmt: skip
    _add_curves(fig, curves)
    for i, name in enumerate(curves.names):
        _add_cloud(fig, name, i, cloud.margins[i], cloud.gradients[i])
        fig.add_trace(go.Scatter(x=cloud.grid, y=cloud.theory[i], mode="lines",
                                 line={**_style(i), "width": 1.5}, showlegend=False,
                                 name=f"{name}: closed form", hoverinfo="skip"),
                      row=2, col=1)  # fmt: skip
    fig.add_vrect(x0=-MARGIN_RANGE, x1=wrong_below, fillcolor="#d62728", opacity=0.07,
                  line_width=0, row=2, col=1, annotation_text="confidently wrong",
                  annotation_position="top left")  # fmt: skip
    fig.add_vline(x=0, line_color="#888", line_width=1, row=2, col=1)
    fig.update_xaxes(range=[-MARGIN_RANGE, MARGIN_RANGE], row=2, col=1,
                     title_text="margin m (logits; < 0: misclassified)")  # fmt: skip
    fig.update_yaxes(type="log", range=[-6, 0.3], exponentformat="power", row=2, col=1,
                     title_text="|∂L/∂z|")  # fmt: skip
    return _legend_on_top(base_layout(fig, height=720, top=60))


def _add_cloud(fig: go.Figure, name: str, i: int, m: np.ndarray, g: np.ndarray) -> None:
    m = np.clip(m, -MARGIN_RANGE, MARGIN_RANGE).astype(np.float32)
    g = np.maximum(g, 1e-6).astype(np.float32)
    symbol = ("circle", "x-thin-open")[min(i, 1)]
    fig.add_trace(
        go.Scatter(x=m, y=g, mode="markers", name=f"{name} (examples)", legendgroup=name,
                   marker={"color": _style(i)["color"], "size": 6, "symbol": symbol,
                           "opacity": 0.65, "line": {"width": 1.2, "color": _style(i)["color"]}},
                   hovertemplate=f"{name}<br>margin %{{x:.3g}}<br>|∂L/∂z| %{{y:.3g}}"
                                 "<extra></extra>"),
        row=2, col=1,
    )  # fmt: skip


def kway_curves_figure(curves: Curves, push: Sequence[np.ndarray], k: int) -> go.Figure:
    """Match-up 3 over the steps: loss, accuracy, and push on wrong rows / pull on the true row."""
    titles = ("Loss (training set; CE vs Σ BCE)", "Accuracy (test set)",
              "Push on wrong rows ÷ pull on the true row (batch)")  # fmt: skip
    fig = make_subplots(rows=1, cols=3, subplot_titles=titles, horizontal_spacing=0.06)
    _add_curves(fig, curves)
    _add_lines(fig, (1, 3), curves, push, legend=False)
    fig.add_hline(y=1, line_dash="dot", line_color="#888", row=1, col=3)
    top = max(float(np.nanmax(p)) for p in push)
    fig.update_yaxes(range=[0, max(k, top) * 1.05], row=1, col=3)
    fig.update_xaxes(range=_step_range(curves), title_text="step", row=1, col=3)
    return _legend_on_top(base_layout(fig, height=340, top=60))


@dataclass(frozen=True)
class ExampleArrays:
    """One example through each head: jacobian (k, k), error p − y (k,), grad_W2 (k, H)."""

    name: str
    jacobian: np.ndarray
    error: np.ndarray
    grad_W2: np.ndarray


def kway_example_figure(examples: Sequence[ExampleArrays], inputs: Sequence[str]) -> go.Figure:
    """Side by side for one example: the Jacobians ∂p/∂z, p − y = ∂L/∂z, and the rows of
    ∂L/∂W2 = (p − y) hᵀ. Every panel on the diverging scale, one scale per row."""
    titles = [f"{title}: {ex.name}" for title in ("Jacobian ∂p/∂z", "∂L/∂z = p − y",
              "∂L/∂W2 = (p − y) hᵀ") for ex in examples]  # fmt: skip
    fig = make_subplots(rows=3, cols=2, subplot_titles=titles, vertical_spacing=0.1,
                        horizontal_spacing=0.08, row_heights=[0.36, 0.26, 0.38])  # fmt: skip
    k = len(examples[0].error)
    outputs = [f"z{i}" for i in range(k)]
    jac_limit = symmetric_limit(np.array([ex.jacobian for ex in examples]))
    grad_limit = symmetric_limit(np.array([ex.grad_W2 for ex in examples]))
    for col, ex in enumerate(examples, start=1):
        fig.add_trace(_cells(ex.jacobian, outputs, [f"p{i}" for i in range(k)], "coloraxis",
                             "∂p/∂z"), row=1, col=col)  # fmt: skip
        fig.add_trace(_signed_bars(ex.error, outputs), row=2, col=col)
        fig.add_trace(_cells(ex.grad_W2, list(inputs), outputs, "coloraxis2", "∂L/∂W2"),
                      row=3, col=col)  # fmt: skip
    error_limit = 1.4 * max(symmetric_limit(np.array([ex.error for ex in examples])), 0.05)
    fig.update_yaxes(range=[-error_limit, error_limit], row=2)
    for row in (1, 3):
        fig.update_yaxes(autorange="reversed", type="category", row=row)
        fig.update_xaxes(type="category", row=row)
    fig.update_layout(
        coloraxis={"colorscale": DIVERGING, "cmin": -jac_limit, "cmax": jac_limit,
                   "colorbar": {**_bar("∂p/∂z", 0), "y": 0.82, "len": 0.3}},
        coloraxis2={"colorscale": DIVERGING, "cmin": -grad_limit, "cmax": grad_limit,
                    "colorbar": {**_bar("∂L/∂W2", 0), "y": 0.17, "len": 0.3}},
    )  # fmt: skip
    return base_layout(fig, height=760, top=50)


def _cells(values: np.ndarray, x: list[str], y: list[str], axis: str, name: str) -> go.Heatmap:
    small = values.shape[0] <= 12 and values.shape[1] <= 12
    return go.Heatmap(
        z=values.astype(np.float32), x=x, y=y, coloraxis=axis,
        text=np.vectorize(lambda v: f"{v:.2g}")(values) if small else None,
        texttemplate="%{text}" if small else None,
        hovertemplate=f"row %{{y}}, col %{{x}}<br>{name} = %{{z:.4g}}<extra></extra>",
    )  # fmt: skip


def _signed_bars(values: np.ndarray, labels: list[str]) -> go.Bar:
    colours = [POSITIVE_COLOUR if v >= 0 else NEGATIVE_COLOUR for v in values]
    return go.Bar(x=labels, y=values, marker_color=colours, showlegend=False,
                  text=[f"{v:+.2f}" for v in values], textposition="outside",
                  hovertemplate="%{x}: %{y:.4g}<extra></extra>")  # fmt: skip


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


def regions_figure(regions: Regions, names: Sequence[str], k: int) -> go.Figure:
    """Each head's predicted class over the plane, and Σ_k p_k of the K sigmoids (a softmax
    always sums to 1; independent sigmoids need not: < 1 claims nothing, > 1 several)."""
    titles = (f"Predicted class: {names[0]}", f"Predicted class: {names[1]}",
              f"Σ_k p_k: {names[1]} (softmax: always 1)")  # fmt: skip
    fig = make_subplots(rows=1, cols=3, subplot_titles=titles, horizontal_spacing=0.05)
    scale = _class_scale(k)
    for col, classes in enumerate((regions.classes_a, regions.classes_b), start=1):
        fig.add_trace(go.Heatmap(x=regions.xs.astype(np.float32), y=regions.ys.astype(np.float32),
                                 z=classes.astype(np.float32), colorscale=scale, zmin=-0.5,
                                 zmax=k - 0.5, showscale=False, opacity=0.55,
                                 hovertemplate="class %{z}<extra></extra>"),
                      row=1, col=col)  # fmt: skip
        fig.add_trace(_points(regions.X, regions.y), row=1, col=col)
    fig.add_trace(
        go.Heatmap(x=regions.xs.astype(np.float32), y=regions.ys.astype(np.float32),
                   z=(regions.total_b - 1).astype(np.float32), colorscale=DIVERGING, zmid=0,
                   zmin=-1, zmax=max(1.0, float(regions.total_b.max()) - 1),
                   colorbar={"title": {"text": "Σp − 1", "side": "right"}, "thickness": 10},
                   customdata=regions.total_b.astype(np.float32),
                   hovertemplate="Σ_k p_k = %{customdata:.3f}<extra></extra>"),
        row=1, col=3,
    )  # fmt: skip
    fig.add_trace(_points(regions.X, regions.y), row=1, col=3)
    for col in (1, 2, 3):
        fig.update_xaxes(range=[regions.xs[0], regions.xs[-1]], row=1, col=col)
        fig.update_yaxes(range=[regions.ys[0], regions.ys[-1]], row=1, col=col)
    return base_layout(fig, height=380, top=50)


def _class_scale(k: int) -> list[list]:
    """A stepwise colour scale: integer class c ∈ 0 … k − 1 gets CLASS_COLOURS[c]."""
    scale = []
    for c in range(k):
        colour = CLASS_COLOURS[c % len(CLASS_COLOURS)]
        scale += [[c / k, colour], [(c + 1) / k, colour]]
    return scale


def race_figure(steps: dict[str, np.ndarray], limit: int, target: float) -> go.Figure:
    """Steps to reach the target per seed, one box with its points per contender; a seed that
    never reached it is drawn as an × above the limit."""
    fig = go.Figure()
    for i, (name, values) in enumerate(steps.items()):
        reached = np.isfinite(values)
        colour = ("#009E73", "#E69F00", "#E69F00", "#009E73")[i % 4]
        fig.add_trace(go.Box(y=values[reached], name=name, boxpoints="all", jitter=0.35,
                             pointpos=0, marker={"color": colour, "size": 8},
                             line={"color": colour}, fillcolor="rgba(0,0,0,0.03)",
                             hovertemplate="%{y} steps<extra></extra>"))  # fmt: skip
        if (~reached).any():
            fig.add_trace(go.Scatter(x=[name] * int((~reached).sum()), y=[limit * 1.05] *
                                     int((~reached).sum()), mode="markers", showlegend=False,
                                     marker={"symbol": "x", "size": 10, "color": "#444"},
                                     hovertemplate="not reached<extra></extra>"))  # fmt: skip
    fig.add_hline(
        y=limit,
        line_dash="dot",
        line_color="#888",
        annotation_text=f"limit: {limit} steps",
        annotation_position="top left",
    )
    fig.update_yaxes(range=[0, limit * 1.12], title_text=f"steps to {target:.0%} test accuracy")
    fig.update_layout(showlegend=False)
    return base_layout(fig, height=420, top=30)
