"""Small figures for the tour's live views. Arrays in, figures out; nothing here computes a
gradient or trains (softviz.lessons does, and the tour page passes the results in).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from softviz.figures.common import DIVERGING, base_layout, symmetric_limit
from softviz.figures.story import GREYS

# Okabe–Ito: a qualitative palette that stays distinct under every common colour-vision deficiency.
LINE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9")
DASHES = ("solid", "dash", "dot", "dashdot")


def line_chart(
    x: np.ndarray,
    series: Mapping[str, np.ndarray],
    title: str = "",
    x_title: str = "",
    y_title: str = "",
    height: int = 320,
) -> go.Figure:
    """One line per named series over a shared x, each with its own colour and dash.

    x (n,); every series (n,). Overlapping series stay visible: later ones are dashed.
    """
    fig = go.Figure()
    hover = f"<br>{x_title or 'x'} = %{{x:.3g}}<br>%{{y:.4g}}<extra></extra>"
    for i, (name, y) in enumerate(series.items()):
        colour, dash = LINE_COLOURS[i % len(LINE_COLOURS)], DASHES[i % len(DASHES)]
        line = {"color": colour, "width": 3 if i == 0 else 2.5, "dash": dash}
        fig.add_trace(
            go.Scatter(x=x, y=y, name=name, mode="lines", line=line, hovertemplate=name + hover)
        )
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title)
    fig.update_layout(legend={"orientation": "h", "y": -0.25, "x": 0})
    return base_layout(fig, title, height)


def image_strip(images: np.ndarray, labels: Sequence[int], height: int = 190) -> go.Figure:
    """Images (n, side, side) in one row, each titled with its label t."""
    n = len(images)
    titles = [f"t = {t} · " + ("object" if t else "no object") for t in labels]
    fig = make_subplots(rows=1, cols=n, subplot_titles=titles, horizontal_spacing=0.012)
    hover = "pixel (%{y}, %{x}) = %{z:.2f}<extra></extra>"
    for i, image in enumerate(images):
        pixels = go.Heatmap(
            z=image, colorscale=GREYS, zmin=0, zmax=1, showscale=False, hovertemplate=hover
        )
        fig.add_trace(pixels, row=1, col=i + 1)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, autorange="reversed")
    for i in range(n):
        fig.update_yaxes(scaleanchor=f"x{i + 1 if i else ''}", row=1, col=i + 1)
    return base_layout(fig, "", height, top=30)


def grouped_bars(
    labels: Sequence[str], series: Mapping[str, np.ndarray], title: str = "", height: int = 300
) -> go.Figure:
    """Side-by-side bars, one group per label and one colour per series, values printed."""
    fig = go.Figure()
    for i, (name, values) in enumerate(series.items()):
        bars = go.Bar(
            x=list(labels),
            y=values,
            name=name,
            marker_color=LINE_COLOURS[i % len(LINE_COLOURS)],
            text=[f"{v:.2f}" for v in values],
            textposition="outside",
            hovertemplate=f"{name}, %{{x}}: %{{y:.4f}}<extra></extra>",
        )
        fig.add_trace(bars)
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.2, "x": 0})
    fig.update_yaxes(rangemode="tozero")
    return base_layout(fig, title, height)


def identity_figure(
    d: np.ndarray, p1: np.ndarray, grid: np.ndarray, curve: np.ndarray, height: int = 320
) -> go.Figure:
    """softmax-2's p1 at random logit pairs, as points against z1 − z0, over the sigmoid curve.

    d, p1 (n,): the points; grid, curve (m,): σ drawn as a line.
    """
    fig = line_chart(grid, {"σ(z₁ − z₀)": curve}, "", "z₁ − z₀", "probability", height)
    marker = {"color": LINE_COLOURS[1], "size": 9, "line": {"width": 1, "color": "#000000"}}
    fig.add_trace(
        go.Scatter(
            x=d,
            y=p1,
            mode="markers",
            name="softmax-2: p₁ at random (z₀, z₁)",
            marker=marker,
            hovertemplate="z₁ − z₀ = %{x:.3f}<br>p₁ = %{y:.4f}<extra></extra>",
        )
    )
    return fig


@dataclass(frozen=True)
class Panel:
    """One signed matrix for heatmap_panels: values (rows, cols), labels, relative width."""

    values: np.ndarray
    title: str
    x_labels: Sequence[str]
    y_labels: Sequence[str]
    width: float = 1.0


def _cell_text(values: np.ndarray) -> np.ndarray:
    """Two decimals, and no "-0.00" for tiny negatives."""
    return np.vectorize(lambda v: f"{v:.2f}".replace("-0.00", "0.00"))(values)


def _signed_cells(panel: Panel, hover_name: str, limit: float | None = None) -> go.Heatmap:
    """A panel's values on the diverging scale centred at 0 (±limit, default its own largest
    magnitude), printed in the cells."""
    values = np.asarray(panel.values, dtype=float)
    limit = limit if limit is not None else symmetric_limit(values)
    return go.Heatmap(
        z=values,
        x=list(panel.x_labels),
        y=list(panel.y_labels),
        zmin=-limit,
        zmax=limit,
        zmid=0,
        colorscale=DIVERGING,
        showscale=False,
        xgap=2,
        ygap=2,
        text=_cell_text(values),
        texttemplate="%{text}",
        hovertemplate=f"{hover_name} [%{{y}}, %{{x}}] = %{{z:.4f}}<extra></extra>",
    )


def heatmap_panels(panels: Sequence[Panel], height: int = 300, shared: bool = False) -> go.Figure:
    """Signed matrices side by side on the diverging scale centred at 0, values printed in
    the cells (red > 0, blue < 0, white 0). Each panel has its own ±limit unless shared."""
    limit = max(symmetric_limit(np.asarray(p.values, dtype=float)) for p in panels)
    widths = [p.width for p in panels]
    fig = make_subplots(
        rows=1,
        cols=len(panels),
        column_widths=[w / sum(widths) for w in widths],
        subplot_titles=[p.title for p in panels],
        horizontal_spacing=0.08,
    )
    for i, panel in enumerate(panels):
        cells = _signed_cells(panel, panel.title.split(":")[0], limit if shared else None)
        fig.add_trace(cells, row=1, col=i + 1)
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="bottom")
    return base_layout(fig, "", height, top=40)


def outer_product_figure(
    err: np.ndarray, h: np.ndarray, grad_W2: np.ndarray, height: int = 360
) -> go.Figure:
    """∂L/∂W2 = (p − y) hᵀ drawn as an outer product: h along the top, p − y down the left,
    the gradient in the corner. err (k,), h (H,), grad_W2 (k, H) of a batch of one."""
    k, H = len(err), len(h)
    outputs, units = [f"z{i}" for i in range(k)], [f"h{j}" for j in range(H)]
    fig = make_subplots(
        rows=2,
        cols=2,
        column_widths=[0.12, 0.88],
        row_heights=[0.3, 0.7],
        horizontal_spacing=0.03,
        vertical_spacing=0.12,
        subplot_titles=["", "hidden activations h", "p − y", "∂L/∂W2 = (p − y) hᵀ"],
    )
    fig.add_trace(_signed_cells(Panel(h[None, :], "h", units, ["h"]), "h"), row=1, col=2)
    fig.add_trace(_signed_cells(Panel(err[:, None], "", ["p − y"], outputs), "p − y"), 2, 1)
    product = Panel(grad_W2, "", units, outputs)
    fig.add_trace(_signed_cells(product, "∂L/∂W2"), row=2, col=2)
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", showticklabels=False)
    fig.update_xaxes(showticklabels=True, row=2, col=2)
    fig.update_yaxes(showticklabels=False, row=2, col=2)
    return base_layout(fig, "", height, top=40)
