"""The one diverging colour scale and the basic signed-quantity charts every page shares."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

# Colour-blind-safe diverging scale (ColorBrewer RdBu reversed: blue < 0 < red), white at 0.
DIVERGING = [
    [0.0, "#2166ac"],
    [0.25, "#92c5de"],
    [0.5, "#f7f7f7"],
    [0.75, "#f4a582"],
    [1.0, "#b2182b"],
]
POSITIVE_COLOUR = "#b2182b"
NEGATIVE_COLOUR = "#2166ac"
TEXT_CELLS_MAX = 12  # print values in cells only when the grid is this small or smaller


def symmetric_limit(values: np.ndarray, floor: float = 1e-12) -> float:
    """max |value| over the finite entries, so a scale centred at 0 fits them all."""
    finite = np.abs(values[np.isfinite(values)])
    return float(max(finite.max(initial=0.0), floor))


def base_layout(fig: go.Figure, title: str = "", height: int = 300, top: int = 40) -> go.Figure:
    """Compact margins and a title: shared by every figure.

    No Plotly template: copying one costs ~10–25 ms per figure, and Streamlit's chart theme
    styles fonts, grids and background anyway.
    """
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        template="none",
        height=height,
        margin={"l": 10, "r": 10, "t": top, "b": 10},
    )
    return fig


def heatmap(
    values: np.ndarray,
    title: str = "",
    x_labels: Sequence[str] | None = None,
    y_labels: Sequence[str] | None = None,
    limit: float | None = None,
    colorbar_title: str = "",
    height: int = 300,
    value_name: str = "value",
) -> go.Figure:
    """A signed 2-D array on the diverging scale centred at zero, values on hover.

    values (rows, cols); limit fixes ±zmax (so scales do not jump between steps); cells print
    their values when the grid is at most TEXT_CELLS_MAX on each side.
    """
    values = np.asarray(values, dtype=float)
    zmax = limit if limit is not None else symmetric_limit(values)
    rows, cols = values.shape
    small = rows <= TEXT_CELLS_MAX and cols <= TEXT_CELLS_MAX
    trace = go.Heatmap(
        z=values,
        x=list(x_labels) if x_labels is not None else None,
        y=list(y_labels) if y_labels is not None else None,
        zmin=-zmax,
        zmax=zmax,
        zmid=0,
        colorscale=DIVERGING,
        colorbar={"title": {"text": colorbar_title}, "thickness": 12},
        text=np.vectorize(lambda v: f"{v:.3g}")(values) if small else None,
        texttemplate="%{text}" if small else None,
        hovertemplate=f"row %{{y}}, col %{{x}}<br>{value_name} = %{{z:.4g}}<extra></extra>",
    )
    fig = go.Figure(trace)
    fig.update_yaxes(autorange="reversed", type="category" if y_labels is not None else None)
    fig.update_xaxes(type="category" if x_labels is not None else None, side="top")
    # Column labels sit on top, under the title: leave room for both.
    return base_layout(fig, title, height, top=70 if title else 30)


def signed_bars(
    values: np.ndarray, labels: Sequence[str], title: str = "", height: int = 260
) -> go.Figure:
    """A signed vector as bars, red above zero and blue below, values printed on the bars."""
    values = np.asarray(values, dtype=float)
    colours = [POSITIVE_COLOUR if v >= 0 else NEGATIVE_COLOUR for v in values]
    fig = go.Figure(
        go.Bar(
            x=list(labels),
            y=values,
            marker_color=colours,
            text=[f"{v:.3g}" for v in values],
            textposition="outside",
            hovertemplate="%{x}: %{y:.4g}<extra></extra>",
        )
    )
    fig.add_hline(y=0, line_color="#444", line_width=1)
    return base_layout(fig, title, height)
