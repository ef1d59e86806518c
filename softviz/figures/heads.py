"""Figures of the heads lab (/heads): arrays in, Plotly figures out; nothing is computed here.

Signed quantities use the shared DIVERGING scale centred at zero; probabilities (never
negative) are plain bars on a fixed 0 … 1 axis so they can be compared at a glance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from softviz.claims import DiagonalCheck, TwoWay
from softviz.figures.common import DIVERGING, base_layout, heatmap

VALUES_IN_CELLS_MAX = 5  # a K × K grid prints its values only up to this K (hover always)
TARGET_COLOUR = "#1f2937"
OTHER_COLOUR = "#9ca3af"
CE_COLOUR = "#1f5fbf"
MSE_COLOUR = "#d95f02"


def short(value: float) -> str:
    """A cell label of at most about 8 characters: 0.0123, -4.5e307, 2.1e-5."""
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e4:
        return f"{value:.3g}"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def _cell_labels(values: np.ndarray) -> list[list[str]]:
    return [[short(v) for v in row] for row in np.atleast_2d(values)]


def _hide_cell_values(fig: go.Figure) -> go.Figure:
    return fig.update_traces(text=None, texttemplate=None)


def probability_bars(
    p: np.ndarray, labels: Sequence[str], target: int, title: str, height: int = 220
) -> go.Figure:
    """Probabilities p (k,) as bars on 0 … 1; the target class's bar is dark, the rest grey."""
    colours = [TARGET_COLOUR if i == target else OTHER_COLOUR for i in range(len(p))]
    fig = go.Figure(
        go.Bar(
            x=list(labels),
            y=np.asarray(p, dtype=float),
            marker_color=colours,
            text=[f"{v:.3g}" for v in p],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: p = %{y:.4g}<extra></extra>",
        )
    )
    fig.update_yaxes(range=[0, 1.12], tickvals=[0, 0.5, 1], fixedrange=True)
    fig.update_xaxes(type="category", fixedrange=True)
    return base_layout(fig, title, height)


def jacobian_heatmap(
    jacobian: np.ndarray,
    title: str,
    limit: float | None,
    transpose: bool = False,
    height: int = 330,
    values_up_to: int = VALUES_IN_CELLS_MAX,
) -> go.Figure:
    """∂p/∂z (k, k) — rows p_i, columns z_j — or its transpose Jᵀ, on ±limit.

    Cells print their values while k ≤ values_up_to; hovering always shows them.
    """
    k = jacobian.shape[0]
    z_names, p_names = [f"z{j}" for j in range(k)], [f"p{i}" for i in range(k)]
    values = (jacobian.T if transpose else jacobian) + 0.0  # + 0.0: no "-0" printed
    rows, cols = (z_names, p_names) if transpose else (p_names, z_names)
    name = "(Jᵀ) = ∂p_col/∂z_row" if transpose else "∂p_row/∂z_col"
    fig = heatmap(values, title, cols, rows, limit=limit, height=height, value_name=name)
    fig.update_traces(colorbar={"len": 0.8}, text=_cell_labels(values))
    return _hide_cell_values(fig) if k > values_up_to else fig


def vector_heatmap(
    values: np.ndarray,
    title: str,
    names: Sequence[str],
    limit: float | None,
    height: int = 330,
    show_names: bool = True,
) -> go.Figure:
    """A vector (k,) as one column of cells on the diverging scale, values printed in them.

    show_names=False drops the row names (for vectors drawn right of one that shows them).
    """
    fig = heatmap(
        np.asarray(values, dtype=float)[:, None] + 0.0,
        title,
        [""],
        list(names),
        limit=limit,
        height=height,
        value_name=title,
    )
    fig.update_traces(
        showscale=False,
        text=_cell_labels(np.asarray(values, dtype=float)[:, None]),
        hovertemplate="%{y}: %{z:.4g}<extra></extra>",
    )
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=show_names)
    return fig


def two_way_figure(
    two_way: TwoWay,
    current_d: float,
    current_p: float,
    temperature: float,
    c: int = 1,
    height: int = 320,
) -> go.Figure:
    """softmax(z₀, z_c)'s p_c and σ((z_c − z₀)/T) against d = z_c − z₀: curves that coincide."""
    fig = go.Figure()
    fig.add_scatter(
        x=two_way.d,
        y=two_way.softmax_p1,
        name=f"softmax(z0, z{c}) → p{c}",
        line={"color": CE_COLOUR, "width": 8},
        opacity=0.4,
    )
    fig.add_scatter(
        x=two_way.d,
        y=two_way.sigmoid,
        name=f"σ((z{c} − z0) / {temperature:g})",
        line={"color": TARGET_COLOUR, "width": 2, "dash": "dash"},
    )
    fig.add_scatter(
        x=[current_d],
        y=[current_p],
        mode="markers",
        name="now",
        marker={"size": 13, "color": MSE_COLOUR, "line": {"width": 1}},
    )
    fig.update_traces(hovertemplate="d = %{x:.3g}<br>p = %{y:.4g}<extra>%{fullData.name}</extra>")
    fig.update_xaxes(title=f"d = z{c} − z0")
    fig.update_yaxes(title=f"p{c}", range=[-0.03, 1.03])
    fig.update_layout(legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0})
    return base_layout(fig, "", height, top=30)


def gradient_sweep_figure(
    grid: np.ndarray,
    pushes: Mapping[str, np.ndarray],
    current_x: float,
    current: Mapping[str, float],
    logit_name: str,
    height: int = 340,
) -> go.Figure:
    """|∂L/∂z_i| for CE and MSE as logit i sweeps (n,), the current value marked on both."""
    fig = go.Figure()
    styles = {"ce": ("cross-entropy", CE_COLOUR, "solid"), "mse": ("MSE", MSE_COLOUR, "dash")}
    for loss, (label, colour, dash) in styles.items():
        fig.add_scatter(
            x=grid,
            y=pushes[loss],
            name=label,
            line={"color": colour, "width": 3, "dash": dash},
            hovertemplate=f"{logit_name} = %{{x:.3g}}<br>|∂L/∂{logit_name}| = %{{y:.4g}}"
            "<extra>" + label + "</extra>",
        )
        fig.add_scatter(
            x=[current_x],
            y=[current[loss]],
            mode="markers",
            showlegend=False,
            marker={"size": 12, "color": colour, "line": {"width": 1.5, "color": "white"}},
            hoverinfo="skip",
        )
    fig.add_vline(x=current_x, line_color="#6b7280", line_dash="dot", line_width=1)
    fig.update_xaxes(title=f"{logit_name} (the others held where they are)")
    fig.update_yaxes(title=f"|∂L/∂{logit_name}|", rangemode="tozero")
    fig.update_layout(legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0})
    return base_layout(fig, "", height, top=30)


def diagonal_check_figure(check: DiagonalCheck, height: int = 280) -> go.Figure:
    """The diagonal ∂p_i/∂x_i three ways: as written, corrected, finite differences (dots)."""
    names = [f"i = {i}" for i in range(check.x.size)]
    fig = go.Figure()
    fig.add_bar(x=names, y=check.as_written, name="as written: Σ x_j", marker_color=MSE_COLOUR)
    fig.add_bar(x=names, y=check.corrected, name="corrected: Σ exp(x_j)", marker_color=CE_COLOUR)
    fig.add_scatter(
        x=names,
        y=check.finite_difference,
        mode="markers",
        name="finite differences",
        marker={
            "symbol": "diamond",
            "size": 11,
            "color": TARGET_COLOUR,
            "line": {"width": 1, "color": "white"},
        },
    )
    fig.update_traces(hovertemplate="%{x}: %{y:.4g}<extra>%{fullData.name}</extra>")
    fig.add_hline(y=0, line_color="#444", line_width=1)
    fig.update_layout(
        barmode="group", legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0}
    )
    fig.update_yaxes(title="∂p_i/∂x_i")
    return base_layout(fig, "", height, top=30)


def sign_heatmap(signs: np.ndarray, height: int = 260) -> go.Figure:
    """The signs (k, k) of ∂p_i/∂x_j as +, − and 0 on the diverging scale."""
    k = signs.shape[0]
    symbols = np.where(signs > 0, "+", np.where(signs < 0, "−", "0"))
    fig = go.Figure(
        go.Heatmap(
            z=signs,
            x=[f"x{j}" for j in range(k)],
            y=[f"p{i}" for i in range(k)],
            zmin=-1.5,
            zmax=1.5,
            colorscale=DIVERGING,
            showscale=False,
            text=symbols,
            texttemplate="%{text}",
            textfont={"size": 16 if k <= 6 else 12},
            hovertemplate="sign of ∂%{y}/∂%{x}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top")
    return base_layout(fig, "", height, top=30)
