"""The landing page's diagram: images → h → p, the label y, p − y, and ∂L/∂W2, on one canvas.

Everything sits in one data coordinate system (one unit ≈ one image pixel, y up), so arrows
and labels are plain annotations. Arrays in, figure out: nothing here trains.

    x (image) ─▶ h ─▶ p    y    p − y ══▶ ∂L/∂W2 = mean (p − y) hᵀ     (one row per example)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from softviz.figures.common import DIVERGING, base_layout, symmetric_limit

GREYS = [[0.0, "#000000"], [1.0, "#ffffff"]]  # image pixels: dark background, bright object
SEQUENTIAL = [[0.0, "#fcfbfd"], [0.5, "#9e9ac8"], [1.0, "#3f007d"]]  # 0 … 1, ColorBrewer Purples
FORWARD_COLOUR = "#4b5563"
BACKWARD_COLOUR = "#b2182b"
BAND = 7.0  # height of one example's row in canvas units; an image is BAND × BAND
GAP = 2.5
VECTOR_WIDTH = 2.6
H_WIDTH = 1.6
COLUMNS = {"x": 0.0, "h": BAND + 3.5, "p": BAND + 9.0, "y": BAND + 15.0, "err": BAND + 21.0}
GRAD_LEFT = COLUMNS["err"] + VECTOR_WIDTH + 7.0
GRAD_CELL = (1.9, 3.0)  # width, height of one ∂L/∂W2 cell
OUTPUT_NAMES = ("no object", "object")


@dataclass(frozen=True)
class Box:
    """Where a grid of cells goes: left and top edges, one cell's width and height."""

    left: float
    top: float
    width: float
    height: float


def band_top(i: int) -> float:
    """Top edge of example i's row (rows go down from 0)."""
    return -i * (BAND + GAP)


def cells(
    values: np.ndarray,
    box: Box,
    scale: list,
    limits: tuple[float, float],
    names: np.ndarray,
    text: bool = False,
    gap: int = 1,
) -> go.Heatmap:
    """values (rows, cols) as cells, row 0 at the top; names (rows, cols) label the hover."""
    return go.Heatmap(
        z=values,
        x0=box.left + box.width / 2,
        dx=box.width,
        y0=box.top - box.height / 2,
        dy=-box.height,
        zmin=limits[0],
        zmax=limits[1],
        colorscale=scale,
        showscale=False,
        xgap=gap,
        ygap=gap,
        customdata=names,
        text=np.vectorize(lambda v: f"{v:.2f}")(values) if text else None,
        texttemplate="%{text}" if text else None,
        hovertemplate="%{customdata} = %{z:.4f}<extra></extra>",
    )


def _names(template: str, rows: int, cols: int) -> np.ndarray:
    """A (rows, cols) grid of hover labels; template sees r (row) and c (column)."""
    return np.array([[template.format(r=r, c=c) for c in range(cols)] for r in range(rows)])


def _vector(values: np.ndarray, column: str, i: int, scale, limits, name: str) -> go.Heatmap:
    """One example's k-vector (p, y or p − y) as a column of k labelled cells."""
    k = len(values)
    box = Box(COLUMNS[column], band_top(i), VECTOR_WIDTH, BAND / k)
    names = np.array([[f"example {i + 1}: {name}{r} ({OUTPUT_NAMES[r]})"] for r in range(k)])
    return cells(values[:, None], box, scale, limits, names, text=True)


def example_traces(snap, i: int) -> list[go.Heatmap]:
    """Example i's row: image x, hidden h, p, y and p − y. snap: softviz.story.Snapshot."""
    side, H = snap.images.shape[1], snap.hidden.shape[1]
    h_lim = symmetric_limit(snap.hidden)
    h_scale, h_low = (SEQUENTIAL, 0.0) if snap.hidden.min() >= 0 else (DIVERGING, -h_lim)
    err = symmetric_limit(snap.dL_dz)
    unit = BAND / side
    return [
        cells(
            snap.images[i],
            Box(COLUMNS["x"], band_top(i), unit, unit),
            GREYS,
            (0.0, 1.0),
            _names(f"example {i + 1}: pixel ({{r}}, {{c}})", side, side),
            gap=0,
        ),
        cells(
            snap.hidden[i][:, None],
            Box(COLUMNS["h"], band_top(i), H_WIDTH, BAND / H),
            h_scale,
            (h_low, h_lim),
            _names(f"example {i + 1}: h{{r}}", H, 1),
        ),
        _vector(snap.probs[i], "p", i, SEQUENTIAL, (0.0, 1.0), "p"),
        _vector(snap.targets[i], "y", i, SEQUENTIAL, (0.0, 1.0), "y"),
        _vector(snap.dL_dz[i], "err", i, DIVERGING, (-err, err), "p − y, output "),
    ]


def gradient_box(k: int) -> Box:
    """∂L/∂W2 (k, H) sits right of the examples, centred on the middle example's row."""
    middle = band_top(1) - BAND / 2
    return Box(GRAD_LEFT, middle + k * GRAD_CELL[1] / 2, *GRAD_CELL)


def gradient_trace(grad_W2: np.ndarray) -> go.Heatmap:
    """∂L/∂W2 (k, H) on the diverging scale, row r = output r, column c = hidden unit c."""
    k, H = grad_W2.shape
    lim = symmetric_limit(grad_W2)
    names = _names("∂L/∂W2 row {r}, from h{c}", k, H)
    return cells(grad_W2, gradient_box(k), DIVERGING, (-lim, lim), names)


def _scale_legend(fig: go.Figure, lim: float, box: Box) -> None:
    """A vertical colour strip for ±lim under the gradient, drawn on the canvas itself."""
    values = np.linspace(lim, -lim, 21)[:, None]
    strip = Box(box.left, box.top, box.width * 0.6, 6.0 / len(values))
    names = np.array([[f"{v:+.3f}"] for v in values[:, 0]])
    fig.add_trace(cells(values, strip, DIVERGING, (-lim, lim), names, gap=0))
    for y, text in ((box.top, f"+{lim:.2g}"), (box.top - 3.0, "0"), (box.top - 6.0, f"−{lim:.2g}")):
        _label(fig, box.left + strip.width + 0.3, y, text, size=11, xanchor="left")


def _arrow(
    fig: go.Figure,
    tail: tuple[float, float],
    head: tuple[float, float],
    colour: str,
    width: float = 2.0,
) -> None:
    fig.add_annotation(
        x=head[0],
        y=head[1],
        ax=tail[0],
        ay=tail[1],
        xref="x",
        yref="y",
        axref="x",
        ayref="y",
        text="",
        showarrow=True,
        arrowhead=3,
        arrowsize=1.2,
        arrowwidth=width,
        arrowcolor=colour,
    )


def _label(fig: go.Figure, x: float, y: float, text: str, size: int = 13, **style) -> None:
    font = {"size": size, "color": style.pop("color", "#111827")}
    fig.add_annotation(x=x, y=y, xref="x", yref="y", text=text, showarrow=False, font=font, **style)


def _headers(fig: go.Figure) -> None:
    """Column titles over the examples."""
    centre = {key: left + VECTOR_WIDTH / 2 for key, left in COLUMNS.items()}
    centre["x"], centre["h"] = BAND / 2, COLUMNS["h"] + H_WIDTH / 2
    titles = {
        "x": "input x",
        "h": "hidden h",
        "p": "p =<br>softmax(z)",
        "y": "label y",
        "err": "p − y<br>= ∂L/∂z",
    }
    for key, title in titles.items():
        colour = BACKWARD_COLOUR if key == "err" else "#111827"
        _label(fig, centre[key], 0.4, f"<b>{title}</b>", color=colour, yanchor="bottom")


def _forward(fig: go.Figure, n_examples: int) -> None:
    """Grey arrows x → h → p across every example's row."""
    spans = ((BAND, COLUMNS["h"]), (COLUMNS["h"] + H_WIDTH, COLUMNS["p"]))
    for i in range(n_examples):
        middle = band_top(i) - BAND / 2
        for tail, head in spans:
            _arrow(fig, (tail + 0.4, middle), (head - 0.4, middle), FORWARD_COLOUR, 1.5)


def _row_labels(fig: go.Figure, snap) -> None:
    """Each example's label and loss on the left; output names beside its p − y cells."""
    k = snap.probs.shape[1]
    for i, t in enumerate(snap.labels):
        middle = band_top(i) - BAND / 2
        verdict = "object" if t == 1 else "no object"
        _label(
            fig,
            -1.2,
            middle,
            f"t = {t}: {verdict}<br>loss {snap.losses[i]:.2f}",
            size=12,
            textangle=-90,
        )
        for r in range(k):
            y = band_top(i) - (r + 0.5) * BAND / k
            _label(
                fig,
                COLUMNS["err"] + VECTOR_WIDTH + 0.3,
                y,
                OUTPUT_NAMES[r],
                size=11,
                xanchor="left",
                color="#4b5563",
            )


def _backward(fig: go.Figure, snap) -> None:
    """Red arrows from every example's p − y into ∂L/∂W2, with the gradient's formula."""
    k, H = snap.grad_W2.shape
    box = gradient_box(k)
    for i in range(len(snap.labels)):
        middle = band_top(i) - BAND / 2
        y_right = COLUMNS["y"] + VECTOR_WIDTH
        _arrow(fig, (y_right + 0.4, middle), (COLUMNS["err"] - 0.4, middle), BACKWARD_COLOUR, 2.0)
        tail = (COLUMNS["err"] + VECTOR_WIDTH + 4.6, middle)
        _arrow(fig, tail, (box.left - 0.3, box.top - k * box.height / 2), BACKWARD_COLOUR, 2.5)
    right = box.left + H * box.width
    centre = (box.left + right) / 2
    _label(
        fig,
        centre,
        box.top + 2.6,
        "<b>∂L/∂W2 = mean over the examples of (p − y) hᵀ</b>",
        color=BACKWARD_COLOUR,
    )
    for r in range(k):
        _label(
            fig,
            right + 0.3,
            box.top - (r + 0.5) * box.height,
            f"row {r}: {OUTPUT_NAMES[r]}",
            size=11,
            xanchor="left",
            color="#4b5563",
        )
    _label(
        fig,
        centre,
        box.top - k * box.height - 1.4,
        f"one column per hidden unit h0 … h{H - 1}",
        size=11,
        color="#4b5563",
    )
    legend = Box(right + 0.3, box.top - k * box.height - 3.2, box.width, 0)
    _scale_legend(fig, symmetric_limit(snap.grad_W2), legend)


def story_figure(snap, height: int = 440) -> go.Figure:
    """The whole diagram for a softviz.story.Snapshot: examples, arrows and ∂L/∂W2."""
    fig = go.Figure([tr for i in range(len(snap.labels)) for tr in example_traces(snap, i)])
    fig.add_trace(gradient_trace(snap.grad_W2))
    _headers(fig)
    _forward(fig, len(snap.labels))
    _row_labels(fig, snap)
    _backward(fig, snap)
    k, H = snap.grad_W2.shape
    right = GRAD_LEFT + H * GRAD_CELL[0] + 9.0
    bottom = band_top(len(snap.labels) - 1) - BAND - 0.5
    fig.update_xaxes(range=[-2.6, right], visible=False, fixedrange=True, constrain="domain")
    fig.update_yaxes(range=[bottom, 3.6], visible=False, fixedrange=True, scaleanchor="x")
    return base_layout(fig, "", height, top=10)
