"""The example inspector of /train: one example's whole trace, numbers and formulas.

Pick an example by split and index (or by clicking it in the data view); see its input, the
hidden activations h, the logits z, the probabilities p, the Jacobian ∂p/∂z, δ = ∂L/∂z and the
outer product δ hᵀ that this example adds to ∂L/∂W2, with the formulas filled in.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st

from softviz.figures import train as figs
from softviz.network import Trace
from softviz.training import Trainer
from softviz.ui.common import chart

SPLITS = ("train", "test")
ORDERS = ("first", "mistakes first", "least confident")


def _keys(key: str) -> tuple[str, str, str]:
    return f"{key}_inspect_split", f"{key}_inspect_index", f"{key}_inspect_applied"


def _pick(point: dict) -> tuple[int, int] | None:
    """(split id, row) from a selected point's customdata: a list, or an {index: value} object
    when the browser sends a typed-array row; None for points without one (the surface)."""
    data = point.get("customdata")
    if isinstance(data, dict):
        data = [data.get(str(i), data.get(i)) for i in range(2)]
    try:
        split, row = int(data[0]), int(data[1])
    except (TypeError, ValueError, IndexError, KeyError):
        return None
    return (split, row) if split in (0, 1) and row >= 0 else None


def take_pick(key: str, event) -> None:
    """Point the inspector at the example clicked in a chart (customdata [split, row]).

    Applied once per new click, so the number input stays free to change afterwards.
    """
    split_key, index_key, applied_key = _keys(key)
    points = (event or {}).get("selection", {}).get("points", [])
    picks = [p for p in map(_pick, points) if p is not None]
    if not picks or picks[0] == st.session_state.get(applied_key):
        return
    st.session_state[applied_key] = picks[0]
    st.session_state[split_key] = SPLITS[picks[0][0]]
    st.session_state[index_key] = picks[0][1]


def gallery_order(key: str, trainer: Trainer, prob: np.ndarray) -> np.ndarray:
    """Test rows in the order the gallery shows them (a display option: never retrains)."""
    order = st.radio(
        "Show", ORDERS, key=f"{key}_gallery_order", horizontal=True, label_visibility="collapsed"
    )
    y = trainer.data.y_test
    if order == "mistakes first":
        return np.argsort((prob > 0.5) == y.astype(bool), kind="stable")
    if order == "least confident":
        return np.argsort(np.abs(prob - 0.5), kind="stable")
    return np.arange(len(y))


def _pick_ui(key: str, trainer: Trainer) -> tuple[str, int]:
    split_key, index_key, _ = _keys(key)
    left, right = st.columns([1, 2])
    split = left.radio("Example from", SPLITS, key=split_key, horizontal=True)
    n = len(trainer.data.X_train if split == "train" else trainer.data.X_test)
    if not 0 <= st.session_state.get(index_key, 0) < n:
        st.session_state[index_key] = 0
    index = right.number_input(f"Example index (0 … {n - 1})", 0, n - 1, step=1, key=index_key)
    return split, int(index)


def inspector_ui(trainer: Trainer, key: str, playing: bool) -> None:
    """The inspector section: while playing only a note (it costs a full figure per frame)."""
    st.subheader("Example inspector: one example's way back")
    if playing:
        st.caption("Pause to inspect one example's trace at the current step.")
        return
    split, index = _pick_ui(key, trainer)
    trace = trainer.inspect(split, index)
    left, right = st.columns([1, 2], gap="medium")
    with left:
        _input_ui(trainer, trace, split, index)
    with right:
        _formulas_ui(trainer, trace)
    h = trace.hidden[0] if trace.hidden is not None else trace.X[0]
    name = "h" if trace.hidden is not None else "x"
    outer = np.outer(trace.dL_dz[0], h)
    fig = figs.inspector_figure(
        h,
        trace.logits[0],
        trace.probs[0],
        trace.targets[0],
        trace.jacobian[0],
        trace.dL_dz[0],
        outer,
        name,
    )
    chart(fig, "train_inspector")


def _input_ui(trainer: Trainer, trace: Trace, split: str, index: int) -> None:
    data, t = trainer.data, int(trace.y[0])
    st.markdown(f"**{split} example #{index}**, label t = {t}")
    if data.image_shape is not None:
        chart(figs.image_figure(trace.X[0].reshape(data.image_shape)), "train_inspect_input")
    else:
        names = list(data.feature_names) or [f"x{j}" for j in range(data.n_features)]
        height = min(36 * (len(names) + 1) + 3, 320)
        st.dataframe({"feature": names, "value": trace.X[0]}, hide_index=True, height=height)
    predicted = int(trainer.net.predict(trace.X)[0])
    verdict = "correct" if predicted == t else "wrong"
    st.markdown(
        f"Predicted class **{predicted}** ({verdict}); loss on this example L = {trace.loss:.4f}."
    )


def _num(v: float) -> str:
    text = f"{v:.3g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return text


def _vec(values: Sequence[float]) -> str:
    return r"\begin{pmatrix}" + r" & ".join(_num(v) for v in values) + r"\end{pmatrix}"


def _mat(values: np.ndarray) -> str:
    rows = [" & ".join(_num(v) for v in row) for row in values]
    return r"\begin{pmatrix}" + r" \\ ".join(rows) + r"\end{pmatrix}"


def _loss_latex(loss: str, p: np.ndarray, y: np.ndarray, value: float) -> str:
    if loss == "ce":
        t = int(np.argmax(y))
        return rf"L = -\log p_{{{t}}} = -\log {_num(p[t])} = {_num(value)}"
    if loss == "bce" and len(p) == 1:
        return (
            rf"L = -[t \log p + (1 - t)\log(1 - p)] = -[{_num(y[0])} \log {_num(p[0])} + "
            rf"{_num(1 - y[0])} \log {_num(1 - p[0])}] = {_num(value)}"
        )
    if loss == "bce":
        return rf"L = \textstyle\sum_k \mathrm{{BCE}}(p_k, y_k) = {_num(value)}"
    return rf"L = \tfrac12 \textstyle\sum_k (p_k - y_k)^2 = {_num(value)}"


def _jacobian_latex(head: str, jacobian: np.ndarray, temperature: float) -> str:
    scale = "/T" if temperature != 1 else ""
    form = (
        r"(\operatorname{diag}(p) - p p^\top)"
        if head == "softmax"
        else r"\operatorname{diag}(p \odot (1 - p))"
    )
    numbers = _mat(jacobian) if len(jacobian) <= 4 else r"\text{(heatmap below)}"
    return rf"J = \frac{{\partial p}}{{\partial z}} = {form}{scale} = {numbers}"


def _delta_latex(loss: str, p, y, delta, temperature: float) -> str:
    lhs = r"\delta = \frac{\partial L}{\partial z}"
    if loss == "mse":
        return rf"{lhs} = J^\top (p - y) = J^\top {_vec(p - y)} = {_vec(delta)}"
    scale = "/T" if temperature != 1 else ""
    return rf"{lhs} = (p - y){scale} = {_vec(delta)}"


def _rows_markdown(delta: np.ndarray, lr: float, name: str) -> str:
    lines = []
    for k, d in enumerate(delta):
        way = "pulled toward" if d < 0 else "pushed away from" if d > 0 else "left alone by"
        lines.append(
            f"- row z{k}: δ{k} = {d:+.4f}, so this example adds {d:+.4f}·{name} to ∂L/∂W2 "
            f"and SGD moves the row by {-lr * d:+.4f}·{name}: {way} {name}."
        )
    return "\n".join(lines)


def _formulas_ui(trainer: Trainer, trace: Trace) -> None:
    net = trainer.net
    z, p, y = trace.logits[0], trace.probs[0], trace.targets[0]
    jacobian, delta, T = trace.jacobian[0], trace.dL_dz[0], net.temperature
    name = "h" if trace.hidden is not None else "x"
    if trace.hidden is not None:
        active = int((trace.hidden[0] > 0).sum())
        st.markdown(
            f"Hidden layer: a = W1 x + b1 and h = {net.activation}(a); "
            f"{active} of {net.n_hidden} units have h > 0."
        )
    head = r"\operatorname{softmax}" if net.head == "softmax" else r"\sigma"
    st.latex(rf"z = W_2 {name} + b_2 = {_vec(z)}")
    st.latex(rf"p = {head}(z{'/T' if T != 1 else ''}) = {_vec(p)}, \qquad y = {_vec(y)}")
    st.latex(_loss_latex(net.loss, p, y, trace.loss))
    st.latex(_jacobian_latex(net.head, jacobian, T))
    st.latex(_delta_latex(net.loss, p, y, delta, T))
    st.latex(
        rf"\frac{{\partial L}}{{\partial W_2}} = \delta\, {name}^\top"
        rf" \quad(\text{{row }}k = \delta_k\, {name}^\top)"
    )
    st.markdown(_rows_markdown(delta, trainer.settings.lr, name))
