"""Figures of the training lab. Arrays in, Plotly figures out; nothing here trains or predicts.

Cheap to send on every frame of Play: few figures with several panels each, float32 arrays
(Plotly ships NumPy arrays as compact base64), curves thinned to at most MAX_CURVE_POINTS, and
colour limits rounded up to 1, 2 or 5 × 10ⁿ so the shared diverging scale does not flicker.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from softviz.figures.common import DIVERGING, NEGATIVE_COLOUR, POSITIVE_COLOUR, base_layout

MAX_CURVE_POINTS = 400
TRAIN_COLOUR, TEST_COLOUR = "#1f5fbf", "#e08214"
GRAYS = [[0.0, "#000000"], [1.0, "#ffffff"]]
MISTAKE_COLOUR = "#d7191c"
CLASS_COLOURS = (NEGATIVE_COLOUR, POSITIVE_COLOUR)


def nice_limit(values: np.ndarray, floor: float = 1e-8) -> float:
    """The smallest 1, 2 or 5 × 10ⁿ ≥ max |finite value|: a colour limit that rarely jumps.

    >>> nice_limit(np.array([-0.13, 0.04]))
    0.2
    """
    values = np.asarray(values, dtype=float)
    top = max(float(np.abs(values[np.isfinite(values)]).max(initial=0.0)), floor)
    exponent = np.floor(np.log10(top))
    for mantissa in (1.0, 2.0, 5.0, 10.0):
        limit = mantissa * 10.0**exponent
        if limit >= top * (1 - 1e-9):
            return float(f"{limit:.3g}")
    return float(top)


def thin(n: int, most: int = MAX_CURVE_POINTS) -> np.ndarray:
    """Indices of at most `most` evenly spread rows out of n, always keeping the last one."""
    if n <= most:
        return np.arange(n)
    return np.unique(np.r_[np.linspace(0, n - 1, most).astype(int), n - 1])


def _f32(values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.float32)


def curves_figure(history: Mapping[str, np.ndarray], height: int = 260) -> go.Figure:
    """Loss, accuracy (train and test) and per-layer gradient norms against the step.

    history: columns "step", "train_loss", "test_loss", "train_acc", "test_acc", "norm_W1",
    "norm_W2", each (n_rows,).
    """
    titles = ("Loss", "Accuracy", "Gradient norm ‖∂L/∂W‖ (log)")
    fig = make_subplots(rows=1, cols=3, subplot_titles=titles, horizontal_spacing=0.07)
    rows = thin(len(history["step"]))
    step = _f32(history["step"][rows])
    series = [
        (1, "train_loss", "train", TRAIN_COLOUR, "solid"),
        (1, "test_loss", "test", TEST_COLOUR, "solid"),
        (2, "train_acc", "train", TRAIN_COLOUR, "solid"),
        (2, "test_acc", "test", TEST_COLOUR, "solid"),
        (3, "norm_W2", "‖∂L/∂W2‖", "#5e3c99", "solid"),
        (3, "norm_W1", "‖∂L/∂W1‖", "#1b7837", "dot"),
    ]
    for col, key, name, colour, dash in series:
        values = history[key][rows]
        if key == "norm_W1" and not np.any(values > 0):
            continue  # no hidden layer
        fig.add_trace(_line(step, values, name, colour, dash, showlegend=col != 2), 1, col)
    fig.update_yaxes(range=[0, 1.02], row=1, col=2, tickformat=".0%")
    fig.update_yaxes(type="log", row=1, col=3, exponentformat="power")
    fig.update_xaxes(title_text="step", title_standoff=2)
    fig = base_layout(fig, "", height, top=30)
    fig.update_layout(legend={"orientation": "h", "y": -0.25, "x": 0}, margin={"b": 40})
    return fig


def _line(x, y, name, colour, dash, showlegend=True) -> go.Scatter:
    return go.Scatter(
        x=x,
        y=_f32(y),
        name=name,
        mode="lines",
        line={"color": colour, "dash": dash},
        legendgroup=name,
        showlegend=showlegend,
        hovertemplate=f"{name}<br>step %{{x}}: %{{y:.4g}}<extra></extra>",
    )


@dataclass(frozen=True)
class Panel:
    """One heatmap in a stack of heatmaps. values (rows, cols); `group` names the quantity:
    panels of one group share a colour limit and one colour bar."""

    values: np.ndarray
    title: str
    x_labels: Sequence[str]
    y_labels: Sequence[str]
    group: str


def heatmap_stack(panels: Sequence[Panel], row_px: int = 26) -> go.Figure:
    """Heatmaps stacked top to bottom on the diverging scale centred at 0, sharing columns;
    one colour bar per group (at most two groups), each group's limit a nice_limit.

    The limits stay fixed between steps until the values cross a 1-2-5 boundary, so colours
    can be compared from step to step; small grids print their values in the cells.
    """
    heights = [len(p.y_labels) + 2.5 for p in panels]
    fig = make_subplots(
        rows=len(panels),
        cols=1,
        subplot_titles=[p.title for p in panels],
        row_heights=[h / sum(heights) for h in heights],
        vertical_spacing=0.5 / sum(heights),
    )
    groups = list(dict.fromkeys(p.group for p in panels))
    for row, panel in enumerate(panels, start=1):
        axis = "coloraxis" if groups.index(panel.group) == 0 else "coloraxis2"
        fig.add_trace(_panel_trace(panel, axis), row, 1)
        fig.update_yaxes(autorange="reversed", type="category", row=row, col=1)
        fig.update_xaxes(type="category", row=row, col=1, showticklabels=row == len(panels))
    for i, group in enumerate(groups):
        rows = [r for r, p in enumerate(panels) if p.group == group]
        values = np.concatenate([panels[r].values.ravel() for r in rows])
        top = fig.layout[f"yaxis{rows[0] + 1 if rows[0] else ''}"].domain[1]
        bottom = fig.layout[f"yaxis{rows[-1] + 1 if rows[-1] else ''}"].domain[0]
        bar = _colour_axis(nice_limit(values), group, 1.0)
        bar["colorbar"].update(y=(top + bottom) / 2, len=max(top - bottom, 0.25), yanchor="middle")
        fig.update_layout({"coloraxis" if i == 0 else "coloraxis2": bar})
    return base_layout(fig, "", int(70 + row_px * sum(heights)), top=30)


def _colour_axis(limit: float, title: str, x: float) -> dict:
    return {
        "colorscale": DIVERGING,
        "cmin": -limit,
        "cmax": limit,
        "cmid": 0,
        "colorbar": {
            "title": {"text": title, "side": "right"},
            "thickness": 10,
            "x": x + 0.005,
            "xanchor": "left",
            "len": 0.9,
            "exponentformat": "e",
        },
    }


def _panel_trace(panel: Panel, axis: str) -> go.Heatmap:
    values = _f32(panel.values)
    small = values.shape[1] <= 10 and values.shape[0] <= 10
    return go.Heatmap(
        z=values,
        x=list(panel.x_labels),
        y=list(panel.y_labels),
        coloraxis=axis,
        text=np.vectorize(lambda v: f"{v:.2g}")(values) if small else None,
        texttemplate="%{text}" if small else None,
        textfont={"size": 10},
        hovertemplate=f"%{{y}}, %{{x}}<br>{panel.group} = %{{z:.4g}}<extra></extra>",
    )


def mosaic(tiles: np.ndarray, columns: int, gap: float = np.nan) -> np.ndarray:
    """Tile m images (m, h, w) into one array, `columns` per row, one gap pixel between.

    >>> mosaic(np.zeros((5, 2, 2)), columns=3).shape   # 2 rows of tiles: 2·2+1, 3·2+2
    (5, 8)
    """
    m, h, w = tiles.shape
    rows = -(-m // columns)
    out = np.full((rows * (h + 1) - 1, columns * (w + 1) - 1), gap, dtype=np.float32)
    for i, tile in enumerate(tiles):
        r, c = divmod(i, columns)
        out[r * (h + 1) : r * (h + 1) + h, c * (w + 1) : c * (w + 1) + w] = tile
    return out


def tile_columns(m: int, most: int = 8) -> int:
    """Tiles per row of a mosaic of m tiles: a near-square grid, at most `most` wide."""
    return int(min(most, max(1, np.ceil(np.sqrt(m)))))


def templates_figure(
    grad: np.ndarray,
    weights: np.ndarray,
    image_shape: tuple[int, int],
    unit: str = "h",
    height: int | None = None,
) -> go.Figure:
    """Each unit's incoming weights and their gradient as small images, side by side.

    grad, weights (m, h·w): one row per unit (a row of W1, or of W2 without a hidden layer).
    """
    m = len(weights)
    columns = tile_columns(m)
    titles = (f"∂L/∂W, one tile per unit {unit}0…{unit}{m - 1}", "Weights W (same layout)")
    fig = make_subplots(rows=1, cols=2, subplot_titles=titles, horizontal_spacing=0.1)
    for col, (values, group) in enumerate(((grad, "∂L/∂W"), (weights, "W")), start=1):
        tiles = mosaic(values.reshape(m, *image_shape), columns)
        units = _unit_index(m, image_shape, columns)
        fig.add_trace(
            go.Heatmap(
                z=tiles,
                customdata=units,
                coloraxis="coloraxis" if col == 1 else "coloraxis2",
                hovertemplate=f"unit {unit}%{{customdata}}<br>{group} = %{{z:.3g}}<extra></extra>",
                hoverongaps=False,
            ),
            1,
            col,
        )
        fig.update_yaxes(
            autorange="reversed",
            scaleanchor=f"x{col if col > 1 else ''}",
            visible=False,
            row=1,
            col=col,
        )
        fig.update_xaxes(visible=False, row=1, col=col)
    fig.update_layout(
        coloraxis=_colour_axis(nice_limit(grad), "∂L/∂W", 0.45),
        coloraxis2=_colour_axis(nice_limit(weights), "W", 1.0),
    )
    rows = -(-m // columns)
    return base_layout(fig, "", height or int(120 + 280 * rows / columns), top=40)


def _unit_index(m: int, image_shape: tuple[int, int], columns: int) -> np.ndarray:
    h, w = image_shape
    index = np.repeat(np.arange(m, dtype=np.float32), h * w).reshape(m, h, w)
    return mosaic(index, columns)


def surface_figure(
    axis_x: np.ndarray,
    axis_y: np.ndarray,
    prob: np.ndarray,
    points: Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
    feature_names: Sequence[str] = ("x1", "x2"),
    height: int = 420,
) -> go.Figure:
    """p(class 1) on a grid with the decision boundary p = 0.5 and the data on top.

    axis_x (g,), axis_y (g,), prob (g, g) with prob[i, j] at (axis_x[j], axis_y[i]);
    points: split name → (X (n, 2), y (n,), predicted (n,)). Mistakes get a black ring.
    Each point carries customdata [split (0 train, 1 test), row index] for picking.
    """
    fig = go.Figure(
        go.Heatmap(
            x=_f32(axis_x),
            y=_f32(axis_y),
            z=_f32(prob),
            colorscale=DIVERGING,
            zmin=0,
            zmax=1,
            zmid=0.5,
            opacity=0.75,
            colorbar={"title": {"text": "p(class 1)"}, "thickness": 10},
            hovertemplate="(%{x:.2f}, %{y:.2f})<br>p(class 1) = %{z:.3f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Contour(
            x=_f32(axis_x),
            y=_f32(axis_y),
            z=_f32(prob),
            showscale=False,
            hoverinfo="skip",
            contours={"start": 0.5, "end": 0.5, "size": 1, "coloring": "none"},
            line={"color": "#111", "width": 2},
            name="p = 0.5",
        )
    )
    for split_id, (split, (X, y, predicted)) in enumerate(points.items()):
        fig.add_trace(_points(X, y, predicted, split, split_id))
    fig.update_xaxes(title_text=feature_names[0], range=[axis_x[0], axis_x[-1]])
    fig.update_yaxes(title_text=feature_names[1], range=[axis_y[0], axis_y[-1]], scaleanchor="x")
    fig = base_layout(fig, "", height, top=30)
    fig.update_layout(legend={"orientation": "h", "y": 1.02, "x": 0, "yanchor": "bottom"})
    return fig


def _points(X: np.ndarray, y: np.ndarray, predicted: np.ndarray, split: str, split_id: int):
    wrong = predicted != y
    return go.Scatter(
        x=_f32(X[:, 0]),
        y=_f32(X[:, 1]),
        mode="markers",
        name=f"{split} (ring = mistake)",
        marker={
            "symbol": "circle" if split_id == 0 else "diamond",
            "size": 7 if split_id else 6,
            "color": [CLASS_COLOURS[int(c) % 2] for c in y],
            "line": {
                "color": np.where(wrong, "#000000", "#ffffff").tolist(),
                "width": np.where(wrong, 2.0, 0.6).tolist(),
            },
        },
        customdata=np.c_[np.full(len(y), split_id), np.arange(len(y)), y, predicted],
        hovertemplate=f"{split} #%{{customdata[1]}}: class %{{customdata[2]}}, "
        "predicted %{customdata[3]}<extra></extra>",
    )


def gallery_figure(
    images: np.ndarray, prob: np.ndarray, y: np.ndarray, indices: np.ndarray, columns: int = 8
) -> go.Figure:
    """Test images with p(object) printed under each; mistakes framed in red.

    images (m, h, w); prob (m,) the predicted probability of class 1; y (m,) true classes;
    indices (m,) their rows in the test set (carried as customdata [1, row] for picking).
    """
    m, h, w = images.shape
    pitch_x, pitch_y = w + 2, h + 4  # room for a frame and a caption
    rows = -(-m // columns)
    canvas = np.full((rows * pitch_y, columns * pitch_x), np.nan, dtype=np.float32)
    centres, shapes = [], []
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        top, left = r * pitch_y + 1, c * pitch_x + 1
        canvas[top : top + h, left : left + w] = image
        centres.append((left + (w - 1) / 2, top + (h - 1) / 2, top + h + 1.2))
        if (prob[i] > 0.5) != bool(y[i]):
            shapes.append(_frame(left - 1, top - 1, left + w, top + h))
    low, high = np.percentile(images, [1, 99.5])
    fig = go.Figure(
        go.Heatmap(
            z=canvas,
            colorscale=GRAYS,
            zmin=low,
            zmax=high,
            showscale=False,
            hoverinfo="skip",
        )
    )
    fig.add_trace(_gallery_points(np.array(centres), prob, y, indices))
    fig.update_layout(shapes=shapes)
    fig.update_yaxes(autorange="reversed", visible=False, scaleanchor="x")
    fig.update_xaxes(visible=False)
    fig = base_layout(fig, "", int(60 + 460 * rows * pitch_y / (columns * pitch_x)), top=10)
    fig.update_layout(showlegend=False)
    return fig


def _frame(x0: float, y0: float, x1: float, y1: float) -> dict:
    return {
        "type": "rect",
        "x0": x0 - 0.5,
        "y0": y0 - 0.5,
        "x1": x1 + 0.5,
        "y1": y1 + 0.5,
        "line": {"color": MISTAKE_COLOUR, "width": 3},
    }


def _gallery_points(centres: np.ndarray, prob: np.ndarray, y: np.ndarray, indices: np.ndarray):
    wrong = (prob > 0.5) != y.astype(bool)
    captions = [f"{'✗ ' if bad else ''}p={p:.2f}" for p, bad in zip(prob, wrong, strict=True)]
    return go.Scatter(
        x=centres[:, 0],
        y=centres[:, 2],
        mode="markers+text",
        text=captions,
        textposition="middle center",
        textfont={"size": 11, "color": np.where(wrong, MISTAKE_COLOUR, "#111111").tolist()},
        marker={"size": 26, "color": "rgba(0,0,0,0)", "symbol": "square"},
        customdata=np.c_[np.ones(len(y)), indices, y, prob],
        hovertemplate="test #%{customdata[1]}: label %{customdata[2]}, "
        "p(object) = %{customdata[3]:.3f}<br>click to inspect<extra></extra>",
    )


def strip_figure(prob: np.ndarray, y: np.ndarray, height: int = 320) -> go.Figure:
    """Every test example's p(class 1), sorted, coloured by its true class; threshold at 0.5.

    prob (n,), y (n,). For data that is neither 2-D nor an image. customdata [1, test row].
    """
    order = np.argsort(prob, kind="stable")
    wrong = (prob[order] > 0.5) != y[order].astype(bool)
    fig = go.Figure(
        go.Scatter(
            x=np.arange(len(order)),
            y=_f32(prob[order]),
            mode="markers",
            name="test examples",
            marker={
                "color": [CLASS_COLOURS[int(c) % 2] for c in y[order]],
                "size": 7,
                "line": {
                    "color": np.where(wrong, "#000", "#fff").tolist(),
                    "width": np.where(wrong, 2.0, 0.5).tolist(),
                },
            },
            customdata=np.c_[np.ones(len(order)), order, y[order]],
            hovertemplate="test #%{customdata[1]}: class %{customdata[2]}, "
            "p(class 1) = %{y:.3f}<extra></extra>",
        )
    )
    fig.add_hline(y=0.5, line_dash="dash", line_color="#444")
    fig.update_xaxes(title_text="test examples, sorted by p (ring = mistake)")
    fig.update_yaxes(title_text="p(class 1)", range=[-0.03, 1.03])
    return base_layout(fig, "", height, top=20)


def _bars(values: np.ndarray, labels: Sequence[str], name: str) -> go.Bar:
    values = _f32(values)
    return go.Bar(
        x=list(labels),
        y=values,
        name=name,
        showlegend=False,
        marker_color=[POSITIVE_COLOUR if v >= 0 else NEGATIVE_COLOUR for v in values],
        text=[f"{v:.3g}" for v in values] if len(values) <= 12 else None,
        textposition="outside",
        cliponaxis=False,
        hovertemplate=f"{name} %{{x}}: %{{y:.4g}}<extra></extra>",
    )


def inspector_figure(
    hidden: np.ndarray,
    logits: np.ndarray,
    probs: np.ndarray,
    target: np.ndarray,
    jacobian: np.ndarray,
    dL_dz: np.ndarray,
    outer: np.ndarray,
    hidden_name: str = "h",
) -> go.Figure:
    """One example's trace: h (H,), z, p and its target y (k,), J (k, k), δ = ∂L/∂z (k,) and
    the outer product δ hᵀ (k, H) that this example adds to ∂L/∂W2."""
    k, H = outer.shape
    outs, units = [f"z{i}" for i in range(k)], [f"{hidden_name}{j}" for j in range(H)]
    titles = (
        f"{hidden_name}: input to the output layer",
        "logits z",
        "p (bars) and target y (◆)",
        "Jacobian ∂p/∂z",
        "δ = ∂L/∂z",
        "δ hᵀ → ∂L/∂W2 for this example",
    )
    fig = make_subplots(
        rows=2, cols=3, subplot_titles=titles, vertical_spacing=0.2, horizontal_spacing=0.09
    )
    fig.add_trace(_bars(hidden, units, hidden_name), 1, 1)
    fig.add_trace(_bars(logits, outs, "z"), 1, 2)
    fig.add_trace(_bars(probs, [f"p{i}" for i in range(k)], "p"), 1, 3)
    fig.add_trace(
        go.Scatter(
            x=[f"p{i}" for i in range(k)],
            y=_f32(target),
            mode="markers",
            showlegend=False,
            marker={"symbol": "diamond", "size": 11, "color": "#111"},
            name="y",
            hovertemplate="target y for %{x}: %{y}<extra></extra>",
        ),
        1,
        3,
    )
    fig.update_yaxes(range=[0, 1.15], row=1, col=3)
    fig.add_trace(
        _panel_trace(Panel(jacobian, "", outs, [f"p{i}" for i in range(k)], "∂p/∂z"), "coloraxis"),
        2,
        1,
    )
    fig.add_trace(_bars(dL_dz, outs, "δ"), 2, 2)
    fig.add_trace(_panel_trace(Panel(outer, "", units, outs, "δhᵀ"), "coloraxis2"), 2, 3)
    for col in (1, 3):
        fig.update_yaxes(autorange="reversed", type="category", row=2, col=col)
        fig.update_xaxes(type="category", row=2, col=col)
    fig.update_layout(
        coloraxis=_colour_axis(nice_limit(jacobian), "∂p/∂z", fig.layout.xaxis4.domain[1]),
        coloraxis2=_colour_axis(nice_limit(outer), "δhᵀ", fig.layout.xaxis6.domain[1]),
    )
    fig.update_layout(
        coloraxis_colorbar={"len": 0.4, "y": 0.2}, coloraxis2_colorbar={"len": 0.4, "y": 0.2}
    )
    return base_layout(fig, "", 560, top=40)
