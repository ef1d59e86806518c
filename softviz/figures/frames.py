"""Play frames: light SVG pictures of the training lab's figures, drawn while Play runs.

A browser swaps an <img> of a few hundred SVG elements in a millisecond or two, where each
Plotly chart costs it tens of milliseconds to rebuild: four of them capped Play at about four
frames a second. Each picture draws the same arrays as its Plotly figure, with the same
colours, colour limits and layout, but without hover or zoom (Play turns those off anyway);
the interactive figure comes back on Pause. Pixel grids (weight mosaics, images, the
probability surface) travel as small embedded PNGs, everything else as SVG shapes and text.

Arrays in, an SVG string out (for st.image). Every label is XML-escaped: feature names can
come from an uploaded CSV file, and an <img> never runs what it shows anyway.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

import numpy as np
from PIL import Image

from softviz.figures.common import DIVERGING, NEGATIVE_COLOUR, POSITIVE_COLOUR
from softviz.figures.train import (
    MISTAKE_COLOUR,
    NORM_W1_COLOUR,
    NORM_W2_COLOUR,
    TEST_COLOUR,
    TRAIN_COLOUR,
    Panel,
    gallery_canvas,
    mosaic,
    nice_limit,
    thin,
    tile_columns,
)

FONT = "font-family='Source Sans Pro, Helvetica, Arial, sans-serif'"
TEXT, MUTED, AXIS = "#374151", "#6b7280", "#d1d5db"
_STOPS = np.array([stop for stop, _ in DIVERGING])
_STOP_RGB = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for _, c in DIVERGING])


def diverging_rgba(values: np.ndarray, limit: float) -> np.ndarray:
    """Colours of the shared diverging scale for values (...,) on ±limit → (..., 4) uint8.

    Linear in RGB between DIVERGING's stops, as Plotly interpolates; values beyond ±limit
    take the end colours; NaN (a mosaic's gaps) is transparent.
    """
    values = np.asarray(values, dtype=float)
    t = np.clip((np.nan_to_num(values) / limit + 1) / 2, 0, 1)
    rgb = np.stack([np.interp(t, _STOPS, _STOP_RGB[:, i]) for i in range(3)], axis=-1)
    alpha = np.where(np.isnan(values), 0, 255)[..., None]
    return np.rint(np.concatenate([rgb, alpha], axis=-1)).astype(np.uint8)


def _hex(rgba: np.ndarray) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgba[:3])


def png_uri(pixels: np.ndarray, scale: int = 1) -> str:
    """A PNG data URI of grey (h, w) or RGBA (h, w, 4) uint8 pixels, each drawn scale × scale
    (so browsers that smooth embedded images still show sharp pixels)."""
    if scale > 1:
        pixels = pixels.repeat(scale, axis=0).repeat(scale, axis=1)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _text(x: float, y: float, text: str, size: float = 12, anchor: str = "start",
          colour: str = TEXT, extra: str = "") -> str:  # fmt: skip
    return (f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}' "
            f"fill='{colour}' {extra}>{escape(text)}</text>")  # fmt: skip


def _image(x: float, y: float, w: float, h: float, uri: str) -> str:
    return (f"<image x='{x:.1f}' y='{y:.1f}' width='{w:.1f}' height='{h:.1f}' "
            f"href={quoteattr(uri)} preserveAspectRatio='none' "
            "style='image-rendering:pixelated'/>")  # fmt: skip


def _title(text: str, centre: float, y: float, right: float, size: float = 13) -> str:
    """A panel title centred where there is room: moved left, then made smaller, so it never
    runs under the colour bar (whose left edge is `right`) or off the picture."""
    half = 0.28 * size * len(text)  # about half the text's width in this font
    if 2 * half > right - 4:
        size, half = size * (right - 4) / (2 * half), (right - 4) / 2
    centre = min(max(centre, 4 + half), right - half)
    return _text(centre, y, text, round(size, 1), "middle")


def _svg(width: float, height: float, body: list[str]) -> str:
    return (f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width:.0f} {height:.0f}' "
            f"width='{width:.0f}' height='{height:.0f}' {FONT}>"
            f"<rect width='100%' height='100%' fill='#ffffff'/>{''.join(body)}</svg>")  # fmt: skip


def _number(value: float) -> str:
    return f"{value:.3g}" if 1e-3 <= abs(value) < 1e4 or value == 0 else f"{value:.0e}"


def colour_bar(x: float, top: float, height: float, limit: float, title: str, key: str,
               ticks: Sequence[str] | None = None) -> str:  # fmt: skip
    """A vertical legend for the diverging scale on ±limit: +limit at the top, 0 mid-way
    (or the given top, middle and bottom tick labels)."""
    stops = "".join(f"<stop offset='{1 - s:g}' stop-color='{c}'/>" for s, c in reversed(DIVERGING))
    ticks = ticks or (_number(limit), "0", _number(-limit))
    labels = [_text(x + 13, top + f * height + 4, tick, 10, colour=MUTED)
              for f, tick in zip((0, 0.5, 1), ticks, strict=True)]  # fmt: skip
    return (
        f"<defs><linearGradient id='{key}' x1='0' y1='0' x2='0' y2='1'>{stops}"
        f"</linearGradient></defs><rect x='{x:.1f}' y='{top:.1f}' width='10' "
        f"height='{height:.1f}' fill='url(#{key})'/>" + "".join(labels)
        + _text(x, top - 6, title, 10, "start", MUTED)
    )  # fmt: skip


# --- curves -------------------------------------------------------------------------------

_CURVES = (
    (0, "train_loss", TRAIN_COLOUR, ""),
    (0, "test_loss", TEST_COLOUR, ""),
    (1, "train_acc", TRAIN_COLOUR, ""),
    (1, "test_acc", TEST_COLOUR, ""),
    (2, "norm_W2", NORM_W2_COLOUR, ""),
    (2, "norm_W1", NORM_W1_COLOUR, "stroke-dasharray='2 3'"),
)
_LEGEND = (
    ("train", TRAIN_COLOUR, ""),
    ("test", TEST_COLOUR, ""),
    ("‖∂L/∂W2‖", NORM_W2_COLOUR, ""),
    ("‖∂L/∂W1‖", NORM_W1_COLOUR, "stroke-dasharray='2 3'"),
)


def curves_svg(history: Mapping[str, np.ndarray], width: float = 1000, height: float = 250):
    """Loss, accuracy and gradient norms (log) against the step, as curves_figure draws them.

    history: the columns of softviz.training.HISTORY_KEYS, each (n_rows,).
    """
    rows = thin(len(history["step"]))
    step = np.asarray(history["step"], dtype=float)[rows]
    titles = ("Loss", "Accuracy", "Gradient norm ‖∂L/∂W‖ (log)")
    has_w1 = bool(np.any(np.asarray(history["norm_W1"]) > 0))
    gap, left, top, bottom = 60, 44, 28, 62
    panel_w = (width - left - 2 * gap - 10) / 3
    panel_h = height - top - bottom
    x_range = (step[0], max(step[-1], step[0] + 1))
    body = []
    for i, title in enumerate(titles):
        x0 = left + i * (panel_w + gap)
        columns = [key for j, key, _, _ in _CURVES if j == i and (key != "norm_W1" or has_w1)]
        values = np.concatenate([np.asarray(history[k], dtype=float)[rows] for k in columns])
        log = i == 2
        y_range = _y_range(values, log, percent=i == 1)
        body.append(_axes(x0, top, panel_w, panel_h, x_range, y_range, log, percent=i == 1))
        body.append(_text(x0 + panel_w / 2, top - 8, title, 13, "middle"))
        for j, key, colour, dash in _CURVES:
            if j == i and key in columns:
                y = np.asarray(history[key], dtype=float)[rows]
                body.append(_polyline(step, y, x0, top, panel_w, panel_h, x_range, y_range,
                                      log, colour, dash))  # fmt: skip
    x = left
    for name, colour, dash in _LEGEND if has_w1 else _LEGEND[:3]:
        y = height - 14
        body.append(f"<line x1='{x}' y1='{y - 4}' x2='{x + 24}' y2='{y - 4}' stroke='{colour}' "
                    f"stroke-width='2' {dash}/>")  # fmt: skip
        body.append(_text(x + 30, y, name, 12))
        x += 40 + 8 * len(name)
    return _svg(width, height, body)


def _y_range(values: np.ndarray, log: bool, percent: bool) -> tuple[float, float]:
    if percent:
        return 0.0, 1.02
    finite = values[np.isfinite(values) & ((values > 0) if log else True)]
    if not len(finite):
        return (0.0, 1.0)
    if log:
        low, high = np.floor(np.log10(finite.min())), np.ceil(np.log10(finite.max()))
        return float(low), float(max(high, low + 1))
    low, high = float(finite.min()), float(finite.max())
    pad = 0.05 * (high - low) if high > low else 0.5
    return low - pad, high + pad  # a tight range, as Plotly's autorange draws loss


def _axes(x0, y0, w, h, x_range, y_range, log: bool, percent: bool) -> str:
    """The frame, a mid grid line and the end ticks of one panel."""

    def label(v: float) -> str:
        return _number(10.0**v) if log else (f"{v:.0%}" if percent else _number(v))

    middle = (y_range[0] + y_range[1]) / 2
    parts = [
        f"<rect x='{x0:.1f}' y='{y0:.1f}' width='{w:.1f}' height='{h:.1f}' fill='none' "
        f"stroke='{AXIS}'/>",
        f"<line x1='{x0:.1f}' y1='{y0 + h / 2:.1f}' x2='{x0 + w:.1f}' y2='{y0 + h / 2:.1f}' "
        f"stroke='#eef0f3'/>",
        _text(x0 - 4, y0 + 4, label(y_range[1] if not percent else 1.0), 10, "end", MUTED),
        _text(x0 - 4, y0 + h / 2 + 4, label(middle if not percent else 0.5), 10, "end", MUTED),
        _text(x0 - 4, y0 + h, label(y_range[0]), 10, "end", MUTED),
        _text(x0, y0 + h + 14, f"{x_range[0]:g}", 10, "start", MUTED),
        _text(x0 + w, y0 + h + 14, f"{x_range[1]:g}", 10, "end", MUTED),
        _text(x0 + w / 2, y0 + h + 26, "step", 11, "middle", MUTED),
    ]
    return "".join(parts)


def _polyline(x, y, x0, y0, w, h, x_range, y_range, log: bool, colour: str, dash: str) -> str:
    keep = np.isfinite(y) & ((y > 0) if log else True)
    x, y = x[keep], (np.log10(y[keep]) if log else y[keep])
    if not len(x):
        return ""
    px = x0 + (x - x_range[0]) / (x_range[1] - x_range[0]) * w
    py = y0 + h - (np.clip(y, *y_range) - y_range[0]) / (y_range[1] - y_range[0]) * h
    if len(px) == 1:  # step 0: one dot
        return f"<circle cx='{px[0]:.1f}' cy='{py[0]:.1f}' r='3' fill='{colour}'/>"
    points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(px, py, strict=True))
    return (f"<polyline points='{points}' fill='none' stroke='{colour}' stroke-width='2' "
            f"{dash}/>")  # fmt: skip


# --- heatmaps -----------------------------------------------------------------------------


def heatmap_stack_svg(panels: Sequence[Panel], width: float = 560, row_px: float = 30,
                      gap_px: float = 38) -> str:  # fmt: skip
    """Heatmaps stacked top to bottom, as heatmap_stack draws them: one colour limit (a
    nice_limit) and one colour bar per group, values printed in small grids."""
    groups = list(dict.fromkeys(p.group for p in panels))
    limits = {
        g: nice_limit(np.concatenate([p.values.ravel() for p in panels if p.group == g]))
        for g in groups
    }
    label_w = 8 + 6.2 * max(len(label) for p in panels for label in p.y_labels)
    columns = len(panels[-1].x_labels)
    bottom = 14 + 6.2 * max(len(label) for label in panels[-1].x_labels)
    x0, cell_w = label_w, (width - label_w - 70) / columns
    body, y, spans = [], 26.0, {g: [] for g in groups}
    for i, panel in enumerate(panels):
        rows = len(panel.y_labels)
        body.append(_title(panel.title, x0 + cell_w * columns / 2, y - 8, width - 66))
        colours = diverging_rgba(panel.values, limits[panel.group])
        values = np.asarray(panel.values, dtype=float)
        small = values.shape[0] <= 10 and values.shape[1] <= 6
        for r in range(rows):
            cy = y + r * row_px
            body.append(_text(x0 - 5, cy + row_px / 2 + 4, panel.y_labels[r], 11, "end"))
            for c in range(values.shape[1]):
                body.append(f"<rect x='{x0 + c * cell_w + 0.5:.1f}' y='{cy + 0.5:.1f}' "
                            f"width='{cell_w - 1:.1f}' height='{row_px - 1:.1f}' "
                            f"fill='{_hex(colours[r, c])}'/>")  # fmt: skip
                if small:
                    body.append(_text(x0 + (c + 0.5) * cell_w, cy + row_px / 2 + 4,
                                      f"{values[r, c]:.2g}", 10, "middle"))  # fmt: skip
        spans[panel.group].append((y, y + rows * row_px))
        y += rows * row_px + (gap_px if i < len(panels) - 1 else 0)
    for c, label in enumerate(panels[-1].x_labels):
        cx = x0 + (c + 0.5) * cell_w
        body.append(_text(cx + 4, y + 6, label, 11, "end",
                          extra=f"transform='rotate(-90 {cx + 4:.1f} {y + 6:.1f})'"))  # fmt: skip
    for g, group in enumerate(groups):
        top, low = spans[group][0][0], spans[group][-1][1]
        if low - top < 60:
            top, low = (top + low) / 2 - 30, (top + low) / 2 + 30
        body.append(colour_bar(width - 62, top + 12, low - top - 12, limits[group], group,
                               f"bar{g}"))  # fmt: skip
    return _svg(width, y + bottom, body)


def templates_svg(grad: np.ndarray, weights: np.ndarray, image_shape: tuple[int, int],
                  unit: str = "h", width: float = 1000) -> str:  # fmt: skip
    """Each unit's incoming weights and their gradient as image tiles, as templates_figure.

    grad, weights (m, h·w): one row per unit; each mosaic on its own nice_limit and bar.
    """
    m, columns = len(weights), tile_columns(len(weights))
    limits = nice_limit(grad), nice_limit(weights)
    mosaics = [mosaic(v.reshape(m, *image_shape), columns) for v in (grad, weights)]
    rows_px, cols_px = mosaics[0].shape
    tile_w = (width - 2 * 80 - 30) / 2
    tile_h = tile_w * rows_px / cols_px
    top = 26
    titles = (f"∂L/∂W: one tile per unit {unit}0…{unit}{m - 1}", "Weights W (same layout)")
    body = []
    for i, (values, limit, title, group) in enumerate(
        zip(mosaics, limits, titles, ("∂L/∂W", "W"), strict=True)
    ):
        x = 10 + i * (tile_w + 80 + 20)
        body.append(_text(x + tile_w / 2, top - 8, title, 13, "middle"))
        body.append(_image(x, top, tile_w, tile_h, png_uri(diverging_rgba(values, limit), 4)))
        body.append(colour_bar(x + tile_w + 8, top + 12, tile_h - 12, limit, group, f"t{i}"))
    return _svg(width, top + tile_h + 10, body)


# --- data ---------------------------------------------------------------------------------


def gallery_svg(images: np.ndarray, prob: np.ndarray, y: np.ndarray, columns: int = 8,
                width: float = 470) -> str:  # fmt: skip
    """Test images with p(object) under each; mistakes framed in red and marked ✗.

    images (m, h, w); prob (m,) predicted probability of class 1; y (m,) true classes.
    """
    m, h, w = images.shape
    canvas, tops, lefts = gallery_canvas(images, columns)
    unit = width / canvas.shape[1]
    wrong = (prob > 0.5) != np.asarray(y).astype(bool)
    size = min(11, round(0.2 * (w + 2) * unit, 1))  # "✗ p=0.40" fits under its image
    body = [_image(0, 0, width, canvas.shape[0] * unit, png_uri(canvas, 4))]
    for top, left, p, bad in zip(tops, lefts, prob, wrong, strict=True):
        if bad:
            body.append(f"<rect x='{(left - 0.8) * unit:.1f}' y='{(top - 0.8) * unit:.1f}' "
                        f"width='{(w + 0.6) * unit:.1f}' height='{(h + 0.6) * unit:.1f}' "
                        f"fill='none' stroke='{MISTAKE_COLOUR}' stroke-width='3'/>")  # fmt: skip
        body.append(
            _text(
                (left + w / 2) * unit,
                (top + h + 2.3) * unit,
                f"{'✗ ' if bad else ''}p={p:.2f}",
                size,
                "middle",
                MISTAKE_COLOUR if bad else "#111111",
            )
        )
    return _svg(width, canvas.shape[0] * unit, body)


def surface_svg(
    axis_x: np.ndarray,
    axis_y: np.ndarray,
    prob: np.ndarray,
    points: Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
    feature_names: Sequence[str] = ("x1", "x2"),
    width: float = 470,
) -> str:
    """p(class 1) on a grid, the decision boundary p = 0.5 and the data, as surface_figure.

    axis_x (g,), axis_y (g,), prob (g, g) with prob[i, j] at (axis_x[j], axis_y[i]);
    points: split → (X (n, 2), y (n,), predicted (n,)); mistakes get a thick black ring.
    """
    left, top, right, bottom = 46, 26, 70, 40
    plot_w = width - left - right
    span_x, span_y = axis_x[-1] - axis_x[0], axis_y[-1] - axis_y[0]
    plot_h = plot_w * span_y / span_x  # equal scales, as scaleanchor does
    colours = diverging_rgba(2 * np.clip(prob, 0, 1) - 1, 1.0)
    colours[..., 3] = 217  # opacity 0.85 over white
    above = prob >= 0.5
    edge = np.zeros_like(above)
    edge[:, 1:] |= above[:, 1:] != above[:, :-1]
    edge[1:, :] |= above[1:, :] != above[:-1, :]
    colours[edge] = (17, 17, 17, 255)
    body = [_image(left, top, plot_w, plot_h, png_uri(colours[::-1], 3)),
            f"<rect x='{left}' y='{top}' width='{plot_w:.1f}' height='{plot_h:.1f}' "
            f"fill='none' stroke='{AXIS}'/>"]  # fmt: skip
    for split_id, (X, y, predicted) in enumerate(points.values()):
        px = left + (X[:, 0] - axis_x[0]) / span_x * plot_w
        py = top + plot_h - (X[:, 1] - axis_y[0]) / span_y * plot_h
        for a, b, label, guess in zip(px, py, y, predicted, strict=True):
            fill = NEGATIVE_COLOUR if label == 0 else POSITIVE_COLOUR  # as CLASS_COLOURS
            ring = "stroke='#000000' stroke-width='2'" if label != guess else (
                "stroke='#ffffff' stroke-width='0.6'")  # fmt: skip
            if split_id == 0:
                body.append(f"<circle cx='{a:.1f}' cy='{b:.1f}' r='3.5' fill='{fill}' {ring}/>")
            else:
                body.append(f"<path d='M{a:.1f} {b - 4.5:.1f}l4.5 4.5l-4.5 4.5l-4.5 -4.5z' "
                            f"fill='{fill}' {ring}/>")  # fmt: skip
    body += [
        _text(left + plot_w / 2, top + plot_h + 32, feature_names[0], 12, "middle"),
        _text(
            14,
            top + plot_h / 2,
            feature_names[1],
            12,
            "middle",
            extra=f"transform='rotate(-90 14 {top + plot_h / 2:.1f})'",
        ),
        _text(left, top + plot_h + 14, f"{axis_x[0]:.2g}", 10, "start", MUTED),
        _text(left + plot_w, top + plot_h + 14, f"{axis_x[-1]:.2g}", 10, "end", MUTED),
        _text(left - 4, top + plot_h, f"{axis_y[0]:.2g}", 10, "end", MUTED),
        _text(left - 4, top + 8, f"{axis_y[-1]:.2g}", 10, "end", MUTED),
        _text(left, top - 10, "train ●  test ◆  (ring = mistake)   line: p = 0.5", 11),
        colour_bar(
            left + plot_w + 12,
            top + 12,
            plot_h - 12,
            1.0,
            "p(class 1)",
            "surface",
            ("1", "0.5", "0"),
        ),
    ]
    return _svg(width, top + plot_h + bottom, body)
