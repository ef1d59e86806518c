"""Figures of the training lab. Arrays in, Plotly figures out; nothing here trains or predicts.

They are redrawn on every Step (while Play runs, softviz.figures.frames draws light SVG
pictures of the same arrays instead), so they are built for speed and size: plain Plotly
specs wrapped without re-validation (tests validate them once), few figures with several
panels each, float32 arrays (shipped as compact base64), no embedded template, curves thinned
to at most MAX_CURVE_POINTS, and colour limits rounded up to 1, 2 or 5 × 10ⁿ (nice_limit) so
the shared diverging scale, centred at zero, does not flicker from step to step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from softviz.figures.common import DIVERGING, NEGATIVE_COLOUR, POSITIVE_COLOUR

MAX_CURVE_POINTS = 400
TRAIN_COLOUR, TEST_COLOUR = "#1f5fbf", "#e08214"
NORM_W2_COLOUR, NORM_W1_COLOUR = "#5e3c99", "#1b7837"
GRAYS = [[0.0, "#000000"], [1.0, "#ffffff"]]
MISTAKE_COLOUR = "#d7191c"
CLASS_COLOURS = [[0.0, NEGATIVE_COLOUR], [1.0, POSITIVE_COLOUR]]
GRID_COLOUR = "#e5e7eb"
TITLE_FONT = {"size": 13, "color": "#374151"}


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
    return np.ascontiguousarray(values, dtype=np.float32)


def figure(data: list[dict], layout: dict) -> go.Figure:
    """Wrap a finished spec as a Figure without Plotly's slow per-property validation."""
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def _layout(height: int, top: int = 30, bottom: int = 30, left: int = 10, right: int = 10):
    return {
        "height": height,
        "template": {},
        "showlegend": False,
        "margin": {"l": left, "r": right, "t": top, "b": bottom},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "font": {"size": 12},
        "hoverlabel": {"namelength": -1},
    }


def _domains(weights: Sequence[float], gap: float) -> list[tuple[float, float]]:
    """Split [0, 1] into intervals proportional to weights, `gap` apart, first one lowest."""
    free, total, start, out = 1 - gap * (len(weights) - 1), sum(weights), 0.0, []
    for weight in weights:
        end = start + free * weight / total
        out.append((start, min(end, 1.0)))
        start = end + gap
    return out


def _axis_names(i: int) -> tuple[str, str, str, str]:
    """(layout x key, layout y key, trace xref, trace yref) of the i-th axes pair (1-based)."""
    suffix = "" if i == 1 else str(i)
    return f"xaxis{suffix}", f"yaxis{suffix}", f"x{suffix}", f"y{suffix}"


def _subplot(
    layout: dict, i: int, x: tuple[float, float], y: tuple[float, float], title: str, **axes
) -> dict:
    """Place axes pair i at the given paper domains with a title above; returns trace refs."""
    xkey, ykey, xref, yref = _axis_names(i)
    layout[xkey] = {
        "domain": list(x),
        "anchor": yref,
        "gridcolor": GRID_COLOUR,
        **axes.get("xaxis", {}),
    }
    layout[ykey] = {
        "domain": list(y),
        "anchor": xref,
        "gridcolor": GRID_COLOUR,
        **axes.get("yaxis", {}),
    }
    if title:
        layout.setdefault("annotations", []).append(
            {
                "text": title,
                "x": (x[0] + x[1]) / 2,
                "y": y[1],
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": TITLE_FONT,
            }
        )
    return {"xaxis": xref, "yaxis": yref}


def _colour_axis(limit: float, title: str, x: float, y: float = 0.5, length: float = 0.9):
    """A diverging colour axis centred at 0 with limits ±limit and its colour bar (legend)."""
    return {
        "colorscale": DIVERGING,
        "cmin": -limit,
        "cmax": limit,
        "cmid": 0,
        "colorbar": {
            "title": {"text": title, "side": "right"},
            "thickness": 10,
            "x": x,
            "xanchor": "left",
            "y": y,
            "yanchor": "middle",
            "len": length,
            "exponentformat": "e",
        },
    }


def curves_figure(history: Mapping[str, np.ndarray], height: int = 250) -> go.Figure:
    """Loss, accuracy (train and test) and per-layer gradient norms against the step.

    history: columns "step", "train_loss", "test_loss", "train_acc", "test_acc", "norm_W1",
    "norm_W2", each (n_rows,). Curves with more than MAX_CURVE_POINTS rows are thinned.
    """
    layout = _layout(height, top=28, bottom=62)
    layout.update(showlegend=True, legend={"orientation": "h", "y": -0.32, "x": 0})
    titles = ("Loss", "Accuracy", "Gradient norm ‖∂L/∂W‖ (log)")
    refs = [
        _subplot(
            layout, i + 1, x, (0, 1), titles[i], xaxis={"title": {"text": "step", "standoff": 2}}
        )
        for i, x in enumerate(_domains([1, 1, 1], 0.06))
    ]
    layout["yaxis2"].update(range=[0, 1.02], tickformat=".0%")
    layout["yaxis3"].update(type="log", exponentformat="power")
    rows = thin(len(history["step"]))
    step = _f32(history["step"][rows])
    series = (
        (0, "train_loss", "train", TRAIN_COLOUR, "solid"),
        (0, "test_loss", "test", TEST_COLOUR, "solid"),
        (1, "train_acc", "train", TRAIN_COLOUR, "solid"),
        (1, "test_acc", "test", TEST_COLOUR, "solid"),
        (2, "norm_W2", "‖∂L/∂W2‖", NORM_W2_COLOUR, "solid"),
        (2, "norm_W1", "‖∂L/∂W1‖", NORM_W1_COLOUR, "dot"),
    )
    data = [
        _line(step, history[key][rows], name, colour, dash, refs[i], i != 1)
        for i, key, name, colour, dash in series
        if key != "norm_W1" or np.any(history[key] > 0)  # no hidden layer: no W1
    ]
    return figure(data, layout)


def _line(x, y, name: str, colour: str, dash: str, refs: dict, legend: bool) -> dict:
    return {
        "type": "scatter",
        "x": x,
        "y": _f32(y),
        "name": name,
        "mode": "lines" if len(x) > 1 else "markers",  # step 0: one dot
        "line": {"color": colour, "dash": dash},
        "legendgroup": name,
        "showlegend": legend,
        "hovertemplate": f"{name}<br>step %{{x}}: %{{y:.4g}}<extra></extra>",
        **refs,
    }


@dataclass(frozen=True)
class Panel:
    """One heatmap in a stack of heatmaps. values (rows, cols); `group` names the quantity:
    panels of one group share a colour limit and one colour bar."""

    values: np.ndarray
    title: str
    x_labels: Sequence[str]
    y_labels: Sequence[str]
    group: str


def _heatmap(panel: Panel, axis: str, refs: dict) -> dict:
    values = _f32(panel.values)
    trace = {
        "type": "heatmap",
        "z": values,
        "x": list(panel.x_labels),
        "y": list(panel.y_labels),
        "coloraxis": axis,
        "xgap": 1,
        "ygap": 1,
        **refs,
        "hovertemplate": f"%{{y}}, %{{x}}<br>{panel.group} = %{{z:.4g}}<extra></extra>",
    }
    if values.shape[0] <= 10 and values.shape[1] <= 6:  # room to print each value
        trace.update(
            text=[[f"{v:.2g}" for v in row] for row in values.tolist()],
            texttemplate="%{text}",
            textfont={"size": 10},
        )
    return trace


def heatmap_stack(panels: Sequence[Panel], row_px: int = 30, gap_px: int = 38) -> go.Figure:
    """Heatmaps stacked top to bottom on the diverging scale centred at 0, sharing columns;
    one colour bar per group (at most two groups), each group's limit a nice_limit."""
    heights = [row_px * len(p.y_labels) for p in panels]
    area = sum(heights) + gap_px * (len(panels) - 1)
    bottom = 24 + 6 * max(len(label) for label in panels[-1].x_labels)
    layout = _layout(int(area + 26 + bottom), top=26, bottom=bottom, right=64)
    domains = _domains(heights[::-1], gap_px / area)[::-1]  # first panel on top
    groups = list(dict.fromkeys(p.group for p in panels))
    data = []
    for i, (panel, y) in enumerate(zip(panels, domains, strict=True), start=1):
        refs = _subplot(
            layout,
            i,
            (0, 1),
            y,
            panel.title,
            xaxis={"type": "category", "showticklabels": i == len(panels), "tickangle": -90},
            yaxis={"type": "category", "autorange": "reversed", "automargin": True},
        )
        axis = "coloraxis" if groups.index(panel.group) == 0 else "coloraxis2"
        data.append(_heatmap(panel, axis, refs))
    for g, group in enumerate(groups):
        rows = [r for r, p in enumerate(panels) if p.group == group]
        top, low = domains[rows[0]][1], domains[rows[-1]][0]
        limit = nice_limit(np.concatenate([panels[r].values.ravel() for r in rows]))
        axis = _colour_axis(limit, group, 1.01, (top + low) / 2, max(top - low, 0.25))
        layout["coloraxis" if g == 0 else "coloraxis2"] = axis
    return figure(data, layout)


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
) -> go.Figure:
    """Each unit's incoming weights and their gradient as small images, side by side.

    grad, weights (m, h·w): one row per unit (a row of W1, or of W2 without a hidden layer).
    Tiles are numbered left to right, top to bottom; hover names the unit. While Play runs
    the lab draws frames.templates_svg instead.
    """
    m, columns = len(weights), tile_columns(len(weights))
    rows = -(-m // columns)
    units = mosaic(
        np.repeat(np.arange(m), np.prod(image_shape)).reshape(m, *image_shape), columns, gap=0
    ).astype(np.uint8)
    layout = _layout(int(60 + 330 * rows / columns), top=26, bottom=10, right=10)
    titles = (f"∂L/∂W: one tile per unit {unit}0…{unit}{m - 1}", "Weights W (same layout)")
    data = []
    for i, (values, group, x) in enumerate(
        ((grad, "∂L/∂W", (0, 0.42)), (weights, "W", (0.52, 0.94))), 1
    ):
        refs = _subplot(
            layout,
            i,
            x,
            (0, 1),
            titles[i - 1],
            xaxis={"visible": False},
            yaxis={"visible": False, "autorange": "reversed", "scaleanchor": _axis_names(i)[2]},
        )
        data.append(
            {
                "type": "heatmap",
                "z": mosaic(values.reshape(m, *image_shape), columns),
                "customdata": units,
                "coloraxis": "coloraxis" if i == 1 else "coloraxis2",
                "hoverongaps": False,
                **refs,
                "hovertemplate": f"unit {unit}%{{customdata}}<br>{group} = %{{z:.3g}}"
                "<extra></extra>",
            }
        )
        layout["coloraxis" if i == 1 else "coloraxis2"] = _colour_axis(
            nice_limit(values), group, x[1] + 0.005
        )
    return figure(data, layout)


def image_figure(image: np.ndarray, height: int = 220) -> go.Figure:
    """One grayscale image (h, w), pixel values on hover."""
    layout, refs = _single_axes(
        height,
        top=5,
        bottom=5,
        xaxis={"visible": False},
        yaxis={"visible": False, "autorange": "reversed", "scaleanchor": "x"},
    )
    layout["margin"]["l"] = 5
    trace = {
        "type": "heatmap",
        "z": _f32(image),
        "colorscale": GRAYS,
        "showscale": False,
        "hovertemplate": "pixel (%{y}, %{x}) = %{z:.2f}<extra></extra>",
        **refs,
    }
    return figure([trace], layout)


def _single_axes(height: int, top: int = 30, bottom: int = 40, **axes) -> tuple[dict, dict]:
    layout = _layout(height, top=top, bottom=bottom, left=50)
    return layout, _subplot(layout, 1, (0, 1), (0, 1), "", **axes)


def surface_figure(
    axis_x: np.ndarray,
    axis_y: np.ndarray,
    prob: np.ndarray,
    points: Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
    feature_names: Sequence[str] = ("x1", "x2"),
    height: int = 430,
) -> go.Figure:
    """p(class 1) on a grid with the decision boundary p = 0.5 and the data on top.

    axis_x (g,), axis_y (g,), prob (g, g) with prob[i, j] at (axis_x[j], axis_y[i]);
    points: split name → (X (n, 2), y (n,), predicted (n,)). Mistakes get a thick black ring.
    Each point carries customdata [split (0 train, 1 test), row index, class, predicted].
    While Play runs the lab draws frames.surface_svg instead.
    """
    layout, refs = _single_axes(
        height,
        top=40,
        xaxis={"title": {"text": feature_names[0]}, "range": [float(axis_x[0]), float(axis_x[-1])]},
        yaxis={
            "title": {"text": feature_names[1]},
            "scaleanchor": "x",
            "range": [float(axis_y[0]), float(axis_y[-1])],
        },
    )
    layout.update(
        showlegend=True, legend={"orientation": "h", "y": 1.0, "x": 0, "yanchor": "bottom"}
    )
    data = [
        {
            "type": "contour",
            "x": _f32(axis_x),
            "y": _f32(axis_y),
            **_probability_surface(prob),
            **refs,
            "colorscale": DIVERGING,
            "opacity": 0.85,
            "name": "p = 0.5",
            "line": {"color": "#111111", "width": 2},
            "showlegend": True,
            "hovertemplate": "(%{x:.2f}, %{y:.2f})<br>p(class 1) = %{z:.3f}<extra></extra>",
        }
    ]
    for split_id, (split, (X, y, predicted)) in enumerate(points.items()):
        data.append(_points(X, y, predicted, split, split_id, refs))
    return figure(data, layout)


def _probability_surface(prob: np.ndarray) -> dict:
    """z, its range, the p = 0.5 contour and the colour bar."""
    bar = {"title": {"text": "p(class 1)", "side": "right"}, "thickness": 10}
    contours = {"start": 0.5, "end": 0.5, "size": 1, "coloring": "heatmap"}
    return {"z": _f32(prob), "zmin": 0, "zmax": 1, "contours": contours, "colorbar": bar}


def _ring(wrong: np.ndarray) -> dict:
    return {
        "color": _f32(wrong),
        "colorscale": [[0, "#ffffff"], [1, "#000000"]],
        "cmin": 0,
        "cmax": 1,
        "width": _f32(np.where(wrong, 2.0, 0.6)),
    }


def _points(X, y, predicted, split: str, split_id: int, refs: dict) -> dict:
    wrong = predicted != y
    return {
        "type": "scatter",
        "x": _f32(X[:, 0]),
        "y": _f32(X[:, 1]),
        "mode": "markers",
        "name": f"{split} (ring = mistake)",
        **refs,
        "marker": {
            "symbol": "circle" if split_id == 0 else "diamond",
            "size": 7,
            "color": _f32(y),
            "colorscale": CLASS_COLOURS,
            "cmin": 0,
            "cmax": 1,
            "line": _ring(wrong),
        },
        "customdata": np.c_[np.full(len(y), split_id), np.arange(len(y)), y, predicted].astype(
            np.int16
        ),
        "hovertemplate": f"{split} #%{{customdata[1]}}: class %{{customdata[2]}}, "
        "predicted %{customdata[3]}<extra></extra>",
    }


def gallery_figure(
    images: np.ndarray, prob: np.ndarray, y: np.ndarray, indices: np.ndarray, columns: int = 8
) -> go.Figure:
    """Test images with p(object) printed under each; mistakes framed in red and marked ✗.

    images (m, h, w); prob (m,) the predicted probability of class 1; y (m,) true classes;
    indices (m,) their rows in the test set (carried as customdata [1, row] for picking).
    """
    m, h, w = images.shape
    canvas, tops, lefts = gallery_canvas(images, columns)
    wrong = (prob > 0.5) != y.astype(bool)
    layout, refs = _single_axes(
        int(20 + 470 * canvas.shape[0] / canvas.shape[1]),
        top=10,
        bottom=10,
        xaxis={"visible": False},
        yaxis={"visible": False, "autorange": "reversed", "scaleanchor": "x"},
    )
    layout["margin"]["l"] = 10
    data = [
        {
            "type": "heatmap",
            "z": canvas,
            "colorscale": GRAYS,
            "zmin": 0,
            "zmax": 255,
            "showscale": False,
            "hoverinfo": "skip",
            **refs,
        }
    ]
    data.append(_frames(lefts[wrong], tops[wrong], w, h, refs))
    centres = np.c_[lefts + (w - 1) / 2, tops + (h - 1) / 2, tops + h + 1.2]
    data.extend(_gallery_points(centres, prob, y, indices, wrong, refs))
    return figure(data, layout)


def gallery_canvas(images: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Images (m, h, w) laid out `columns` per row on a white canvas with room around each
    for a frame and a caption: (canvas uint8 grey levels, tops (m,), lefts (m,))."""
    m, h, w = images.shape
    pitch_x, pitch_y = w + 2, h + 4
    rows = -(-m // columns)
    canvas = np.full((rows * pitch_y, columns * pitch_x), 255, dtype=np.uint8)  # white gaps
    r, c = np.divmod(np.arange(m), columns)
    tops, lefts = r * pitch_y + 1, c * pitch_x + 1
    low, high = np.percentile(images, [1, 99.5])
    # Grey levels 0 … 250 are plenty for the eye and send a quarter of float32's bytes.
    levels = np.clip((images - low) / max(high - low, 1e-12) * 250, 0, 250).astype(np.uint8)
    for image, top, left in zip(levels, tops, lefts, strict=True):
        canvas[top : top + h, left : left + w] = image
    return canvas, tops, lefts


def _frames(lefts: np.ndarray, tops: np.ndarray, w: int, h: int, refs: dict) -> dict:
    """Red frames around the given tiles as one line trace (NaN between frames): redrawing a
    trace is much cheaper for Plotly than changing layout shapes on every frame of Play."""
    x0, x1, y0, y1 = lefts - 1.5, lefts + w + 0.5, tops - 1.5, tops + h + 0.5
    gap = np.full(len(lefts), np.nan)
    xs = np.c_[x0, x1, x1, x0, x0, gap].ravel()
    ys = np.c_[y0, y0, y1, y1, y0, gap].ravel()
    return {
        "type": "scatter",
        "x": _f32(xs),
        "y": _f32(ys),
        "mode": "lines",
        **refs,
        "line": {"color": MISTAKE_COLOUR, "width": 3},
        "hoverinfo": "skip",
        "name": "mistake",
    }


def _gallery_points(centres, prob, y, indices, wrong, refs: dict) -> list[dict]:
    """An invisible marker over each image (hover, click to pick) and its caption below."""
    captions = [f"{'✗ ' if bad else ''}p={p:.2f}" for p, bad in zip(prob, wrong, strict=True)]
    picks = {
        "type": "scatter",
        "x": _f32(centres[:, 0]),
        "y": _f32(centres[:, 1]),
        **refs,
        "mode": "markers",
        "marker": {"size": 36, "color": "rgba(0,0,0,0)", "symbol": "square"},
        "customdata": np.c_[np.ones(len(y)), indices, y, prob].astype(np.float32),
        "hovertemplate": "test #%{customdata[1]}: label %{customdata[2]}, "
        "p(object) = %{customdata[3]:.3f}<br>click to inspect<extra></extra>",
    }
    text = {
        "type": "scatter",
        "x": _f32(centres[:, 0]),
        "y": _f32(centres[:, 2]),
        **refs,
        "mode": "text",
        "text": captions,
        "textposition": "middle center",
        "hoverinfo": "skip",
        "textfont": {"size": 11, "color": np.where(wrong, MISTAKE_COLOUR, "#111111").tolist()},
    }
    return [picks, text]


def strip_figure(prob: np.ndarray, y: np.ndarray, height: int = 340) -> go.Figure:
    """Every test example's p(class 1), sorted, coloured by its true class; threshold at 0.5.

    prob (n,), y (n,). For data that is neither 2-D nor an image. customdata [1, test row].
    """
    order = np.argsort(prob, kind="stable")
    wrong = (prob[order] > 0.5) != y[order].astype(bool)
    layout, refs = _single_axes(
        height,
        top=20,
        bottom=50,
        xaxis={"title": {"text": "test examples, sorted by p (ring = mistake)"}},
        yaxis={"title": {"text": "p(class 1)"}, "range": [-0.03, 1.03]},
    )
    layout["shapes"] = [
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "y0": 0.5,
            "y1": 0.5,
            "line": {"dash": "dash", "color": "#444444"},
        }
    ]
    data = [
        {
            "type": "scatter",
            "x": np.arange(len(order), dtype=np.float32),
            "y": _f32(prob[order]),
            "mode": "markers",
            **refs,
            "marker": {
                "color": _f32(y[order]),
                "colorscale": CLASS_COLOURS,
                "cmin": 0,
                "cmax": 1,
                "size": 7,
                "line": _ring(wrong),
            },
            "customdata": np.c_[np.ones(len(order)), order, y[order]].astype(np.int16),
            "hovertemplate": "test #%{customdata[1]}: class %{customdata[2]}, "
            "p(class 1) = %{y:.3f}<extra></extra>",
        }
    ]
    return figure(data, layout)


def _bars(values: np.ndarray, labels: Sequence[str], name: str, refs: dict) -> dict:
    values = _f32(values)
    trace = {
        "type": "bar",
        "x": list(labels),
        "y": values,
        "name": name,
        **refs,
        "marker": {"color": np.where(values >= 0, POSITIVE_COLOUR, NEGATIVE_COLOUR).tolist()},
        "hovertemplate": f"{name} %{{x}}: %{{y:.4g}}<extra></extra>",
        "cliponaxis": False,
    }
    if len(values) <= 12:
        trace.update(text=[f"{v:.3g}" for v in values.tolist()], textposition="outside")
    return trace


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
    outs, ps = [f"z{i}" for i in range(k)], [f"p{i}" for i in range(k)]
    units = [f"{hidden_name}{j}" for j in range(H)]
    layout = _layout(560, top=30, bottom=40, left=40, right=70)
    titles = (
        f"{hidden_name}: input to the output layer",
        "logits z",
        "p (bars), target y (◆)",
        "Jacobian ∂p/∂z",
        "δ = ∂L/∂z",
        "δ hᵀ: this example's ∂L/∂W2",
    )
    cols, rows = [(0, 0.32), (0.47, 0.68), (0.78, 0.96)], _domains([1, 1], 0.2)[::-1]
    refs = [
        _subplot(
            layout, 3 * r + c + 1, cols[c], rows[r], titles[3 * r + c], **_inspector_axes(r, c)
        )
        for r in range(2)
        for c in range(3)
    ]
    layout["yaxis3"].update(range=[0, 1.2])
    data = [
        _bars(hidden, units, hidden_name, refs[0]),
        _bars(logits, outs, "z", refs[1]),
        _bars(probs, ps, "p", refs[2]),
        {
            "type": "scatter",
            "x": ps,
            "y": _f32(target),
            "mode": "markers",
            "name": "y",
            "marker": {"symbol": "diamond", "size": 11, "color": "#111111"},
            **refs[2],
            "hovertemplate": "target y for %{x}: %{y}<extra></extra>",
        },
        _heatmap(Panel(jacobian, "", outs, ps, "∂p/∂z"), "coloraxis", refs[3]),
        _bars(dL_dz, outs, "δ", refs[4]),
        _heatmap(Panel(outer, "", units, outs, "δhᵀ"), "coloraxis2", refs[5]),
    ]
    layout["coloraxis"] = _colour_axis(nice_limit(jacobian), "∂p/∂z", cols[0][1] + 0.005, 0.2, 0.4)
    layout["coloraxis2"] = _colour_axis(nice_limit(outer), "δhᵀ", 1.01, 0.2, 0.4)
    return figure(data, layout)


def _inspector_axes(row: int, col: int) -> dict:
    if row == 1 and col != 1:  # the two heatmaps
        return {
            "xaxis": {"type": "category"},
            "yaxis": {"type": "category", "autorange": "reversed"},
        }
    return {"xaxis": {"type": "category"}, "yaxis": {"zeroline": True, "zerolinecolor": "#444444"}}
