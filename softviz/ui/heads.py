"""/heads — the heads lab: sigmoid vs softmax, their Jacobians and the label's way back, live.

Everything is an instant slider (no Play). The URL holds the settings (k, temperature, loss,
head) and this page's own keys: z (the logits, "1,-0.5"), label (1 = object present),
object (which output is the object class) and sweep (the logit the gradient plot moves).
Every number shown comes from the engine (softviz.heads, softviz.losses, softviz.claims).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import streamlit as st

from softviz import claims, heads, losses
from softviz.figures import heads as figures
from softviz.figures.common import symmetric_limit
from softviz.losses import HeadLoss
from softviz.settings import Settings, shown, to_query
from softviz.ui import presentation, share
from softviz.ui.common import (
    as_default,
    chart,
    query_is_ours,
    query_settings,
    remember_query,
    write_query,
)

K_MIN, K_MAX = 2, 10
LOGIT_LIMIT = 50.0
LOGIT_STEP = 0.1
DEFAULT_LOGITS = (1.0, -0.5, 0.3, -1.2, 0.8, -0.2, 1.5, -0.9, 0.1, -1.6)
TEMPERATURES = (0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 7.5, 10.0, 15.0, 20.0)
LOSS_NAMES = {"ce": "cross-entropy (BCE for sigmoid)", "mse": "mean squared error"}
HEAD_CHOICES = ("softmax", "sigmoid")  # the way back's head; softmax first, the default
TIMING_KS = (2, 1000)
VECTOR_TEX_MAX = 5  # longer vectors are not written out in a formula (the charts show them)
_PREFIX = "heads_"


@dataclass(frozen=True)
class Lab:
    """What the page shows: the settings and this page's own state. z has length settings.k."""

    settings: Settings
    z: tuple[float, ...]
    label: int  # 1 = the object is present
    object_class: int  # 1 … k − 1; output 0 is the background
    sweep: int  # which logit the gradient plot sweeps

    @property
    def k(self) -> int:
        return self.settings.k

    @property
    def target_class(self) -> int:
        """The class the binary label points at: the object's output, or the background 0."""
        return self.object_class if self.label else 0


# ---------------------------------------------------------------- URL → page state


def _parse_logits(text: str, k: int) -> tuple[tuple[float, ...], list[str]]:
    """z=1.2,-0.3 → the first k logits (defaults fill the rest), with a warning per problem."""
    values, warnings = list(DEFAULT_LOGITS[:k]), []
    parts = [part.strip() for part in text.split(",")]
    if len(parts) > k:
        warnings.append(f"z has {len(parts)} values but K={k}; using the first {k}.")
    for i, part in enumerate(parts[:k]):
        try:
            value = float(part)
        except ValueError:
            value = float("nan")
        if not np.isfinite(value):
            warnings.append(f"Ignored z{i}={shown(part)} (not a number); using {values[i]:g}.")
            continue
        clipped = float(np.clip(round(value, 1), -LOGIT_LIMIT, LOGIT_LIMIT))
        if abs(clipped - value) > 1e-9:
            note = "logits are −50 … 50 in steps of 0.1"
            warnings.append(f"z{i}={shown(part)} set to {clipped:g} ({note}).")
        values[i] = clipped
    return tuple(values), warnings


def _parse_index(key: str, text: str, low: int, high: int, default: int) -> tuple[int, list[str]]:
    """A whole number in low … high from the URL, or the default with a warning."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if np.isfinite(value) and value == int(value) and low <= value <= high:
        return int(value), []
    return default, [f"Ignored {key}={shown(text)} (expected {low} … {high}); using {default}."]


def _page_value(query: Mapping[str, str | Sequence[str]], key: str, default: str) -> str:
    raw = query.get(key)
    if raw is not None and not isinstance(raw, str):
        raw = list(raw)[-1] if len(raw) else None
    return default if raw is None else raw.strip()


def parse_lab(
    settings: Settings, query: Mapping[str, str | Sequence[str]]
) -> tuple[Lab, list[str]]:
    """The lab described by parsed settings and the raw query (for the page's own keys).

    Never raises: every unusable value falls back to its default with a warning.
    """
    warnings: list[str] = []
    if settings.k < K_MIN:
        warnings.append(f"The heads lab shows K = {K_MIN} … {K_MAX} outputs; using k={K_MIN}.")
        settings = replace(settings, k=K_MIN)
    k = settings.k
    z = DEFAULT_LOGITS[:k]
    if "z" in query:
        z, problems = _parse_logits(_page_value(query, "z", ""), k)
        warnings += problems

    def index(key: str, low: int, high: int, default: int) -> int:
        value, problems = _parse_index(
            key, _page_value(query, key, str(default)), low, high, default
        )
        warnings.extend(problems)
        return value

    label = index("label", 0, 1, 1)
    obj = index("object", 1, k - 1, 1)
    sweep = index("sweep", 0, k - 1, obj if label else 0)
    return Lab(settings, tuple(z), label, obj, sweep), warnings


def lab_query(lab: Lab) -> dict[str, str]:
    """The page's own URL keys, only those that differ from their defaults."""
    extra = {}
    if lab.z != DEFAULT_LOGITS[: lab.k]:
        extra["z"] = ",".join(f"{v:g}" for v in lab.z)
    if lab.label != 1:
        extra["label"] = str(lab.label)
    if lab.object_class != 1:
        extra["object"] = str(lab.object_class)
    if lab.sweep != lab.target_class:
        extra["sweep"] = str(lab.sweep)
    return extra


# ---------------------------------------------------------------- widgets ↔ state


def _key(name: str) -> str:
    return _PREFIX + name


def _now(name: str):
    """A widget's current value, passed as its default too (see common.as_default)."""
    return as_default(_key(name))


def seed_widgets(lab: Lab) -> None:
    """Load a lab into the widgets' state: on the first visit, or when the URL was changed."""
    state = st.session_state
    logits = list(DEFAULT_LOGITS)
    logits[: lab.k] = lab.z
    state[_key("logits")] = logits
    for i, value in enumerate(logits):
        state[_key(f"z{i}")] = value
    state[_key("k")] = lab.k
    state[_key("temperature")] = lab.settings.temperature
    state[_key("label")] = "yes" if lab.label else "no"
    state[_key("object")] = lab.object_class
    state[_key("loss")] = lab.settings.loss
    state[_key("head")] = lab.settings.head
    state[_key("sweep")] = lab.sweep


def _set_logits(values: Sequence[float]) -> None:
    for i, value in enumerate(values):
        st.session_state[_key(f"z{i}")] = float(value)
        st.session_state[_key("logits")][i] = float(value)


def _randomise() -> None:
    """Callback: new logits on a scale that suits the current temperature."""
    scale = 2.5 * max(st.session_state[_key("temperature")], 0.2)
    values = np.random.default_rng().normal(scale=scale, size=K_MAX)
    _set_logits(np.clip(np.round(values, 1), -LOGIT_LIMIT, LOGIT_LIMIT))


def _reset() -> None:
    _set_logits(DEFAULT_LOGITS)


def _remeasure() -> None:
    st.session_state[_key("timing")] = st.session_state.get(_key("timing"), 0) + 1


def logits_ui(k: int, object_class: int) -> tuple[float, ...]:
    """One slider per logit, with Randomise and Reset; returns z (k,)."""
    st.markdown("**Logits z**")
    left, right = st.columns(2)
    left.button("Randomise", key=_key("randomise"), on_click=_randomise, width="stretch")
    right.button("Reset", key=_key("reset"), on_click=_reset, width="stretch")
    roles = {0: " · background", object_class: " · object"}
    values = []
    for i in range(k):
        key = _key(f"z{i}")
        if key not in st.session_state:  # a slider hidden by a smaller K lost its state
            st.session_state[key] = st.session_state[_key("logits")][i]
        value = st.slider(
            f"z{i}{roles.get(i, '')}",
            -LOGIT_LIMIT,
            LOGIT_LIMIT,
            float(st.session_state[key]),
            step=LOGIT_STEP,
            format="%.1f",
            key=key,
        )
        st.session_state[_key("logits")][i] = value
        values.append(float(value))
    return tuple(values)


def _keep_in_range(name: str, high: int, fallback: int) -> None:
    """A choice that a smaller K made impossible falls back before its widget is drawn."""
    if st.session_state.get(name, fallback) > high:
        st.session_state[name] = fallback


def controls_ui(settings: Settings) -> Lab:
    """The sidebar: K, T, the label, the object class, loss, head and the logits."""
    state = st.session_state
    with st.sidebar:
        k = st.slider("Outputs K", K_MIN, K_MAX, int(_now("k")), key=_key("k"))
        options = sorted(set(TEMPERATURES) | {state[_key("temperature")]})
        temperature = st.select_slider(
            "Temperature T",
            options,
            _now("temperature"),
            key=_key("temperature"),
            format_func=lambda t: f"{t:g}",
        )
        label = st.radio(
            "Object present in the image?",
            ("yes", "no"),
            ("yes", "no").index(_now("label")),
            key=_key("label"),
            horizontal=True,
        )
        _keep_in_range(_key("object"), k - 1, 1)
        object_class = 1
        if k > 2:
            object_class = st.selectbox(
                "Object class (output 0 is the background)",
                range(1, k),
                int(st.session_state.get(_key("object"), 1)) - 1,
                key=_key("object"),
                format_func=lambda i: f"output {i}",
            )
        losses = tuple(LOSS_NAMES)
        loss = st.radio(
            "Loss",
            losses,
            losses.index(_now("loss")),
            key=_key("loss"),
            format_func=LOSS_NAMES.get,
        )
        head = st.radio(
            "Head on the way back",
            HEAD_CHOICES,
            HEAD_CHOICES.index(_now("head")),
            key=_key("head"),
            horizontal=True,
        )
        z = logits_ui(k, object_class)
    target = object_class if label == "yes" else 0
    _keep_in_range(_key("sweep"), k - 1, target)
    settings = replace(settings, k=k, temperature=float(temperature), loss=loss, head=head)
    return Lab(settings, z, int(label == "yes"), object_class, state.get(_key("sweep"), target))


# Widgets seeded together from the URL; Streamlit drops their state when the page is left.
SEEDED_WIDGETS = ("k", "temperature", "label", "loss", "head")


def _url_is_new() -> bool:
    """Should the URL overwrite the widgets? On entering the page, or for a link not seen yet.

    A rerun's request carries the address bar as the browser had it, which can lag behind our
    last write when the user moves a slider quickly; such a stale URL is one we wrote before
    and must not undo the newer slider value. Leaving the page drops the widgets' state.
    """
    entered = any(_key(name) not in st.session_state for name in SEEDED_WIDGETS)
    return entered or not query_is_ours()


def lab_ui() -> Lab:
    """The lab to show: from the URL when it is new to this session, else from the widgets."""
    settings = presentation.apply_presentation(query_settings())
    if _url_is_new():
        raw = {key: st.query_params.get_all(key) for key in st.query_params}
        lab, warnings = parse_lab(settings, raw)
        for message in warnings:
            st.warning(message, icon="⚠️")
        seed_widgets(lab)
        remember_query(st.query_params.to_dict())
    return controls_ui(settings)


def write_lab(lab: Lab) -> None:
    """Put the lab into the address bar so a copied link reproduces this view."""
    write_query(lab.settings, **lab_query(lab))


# ---------------------------------------------------------------- engine results


@dataclass(frozen=True)
class Point:
    """One example through head and loss: probs, dL_dp, dL_dz (k,), jacobian (k, k)."""

    loss: float
    probs: np.ndarray
    jacobian: np.ndarray
    dL_dp: np.ndarray
    dL_dz: np.ndarray

    @classmethod
    def of(cls, out: HeadLoss) -> Point:
        return cls(float(out.losses[0]), out.probs[0], out.jacobian[0], out.dL_dp[0], out.dL_dz[0])


def target_of(lab: Lab) -> np.ndarray:
    """The label as the head's target (k,): one-hot of the object class, or of background 0."""
    return losses.targets(np.array([lab.target_class]), lab.k)[0]


def evaluate(lab: Lab) -> dict[tuple[str, str], Point]:
    """Both heads under both losses at the lab's logits, from softviz.losses.head_loss."""
    z, y = np.array([lab.z]), target_of(lab)[None]
    t = lab.settings.temperature
    return {
        (head, loss): Point.of(losses.head_loss(head, loss, z, y, t))
        for head in heads.HEADS
        for loss in ("ce", "mse")
    }


# ---------------------------------------------------------------- formatting


def num(x: float, digits: int = 3) -> str:
    """A number for text: 3 significant digits, scientific only when it must be."""
    if x == 0 or not np.isfinite(x):
        return "0" if x == 0 else str(x)
    if 1e-3 <= abs(x) < 1e5:
        return f"{float(f'{x:.{digits}g}'):g}"  # 3 significant digits, 2000 not 2e+03
    return f"{x:.{digits - 1}e}"


def tex(x: float, digits: int = 3) -> str:
    """A number for LaTeX, with × 10^n instead of e-notation."""
    text = num(x, digits)
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


def tex_vector(values: np.ndarray, chart_name: str) -> str:
    """A vector (k,) as a LaTeX row vector; beyond VECTOR_TEX_MAX entries, a pointer to its chart.

    (A long row would be clipped on a projector; the chart above prints every entry.)
    """
    if len(values) > VECTOR_TEX_MAX:
        return rf"\text{{(all {len(values)} entries: the {chart_name} column above)}}"
    return r"\begin{pmatrix}" + " & ".join(tex(v) for v in values) + r"\end{pmatrix}"


def tex_matrix(values: np.ndarray) -> str:
    rows = [" & ".join(tex(v) for v in row) for row in values]
    return r"\begin{pmatrix}" + r" \\ ".join(rows) + r"\end{pmatrix}"


def output_names(lab: Lab) -> list[str]:
    """Short names of the outputs for chart axes: the background and object are marked."""
    roles = {0: " bg", lab.object_class: " obj"}
    return [f"{i}{roles.get(i, '')}" for i in range(lab.k)]


# ---------------------------------------------------------------- side by side

HEAD_FORMULAS = {
    "sigmoid": r"p_k = \sigma(z_k / T)",
    "softmax": r"p_k = e^{z_k/T} \big/ \textstyle\sum_j e^{z_j/T}",
}
NOTICE = (
    "**What to notice.** The sigmoid's Jacobian is diagonal: output k only feels its own logit "
    "z_k. The softmax's is dense: raising one logit takes probability from all the others, so "
    "its diagonal is positive, everything off it negative, and every row and column sums to "
    "zero. Both are multiplied by 1/T. Where a head saturates (p near 0 or 1) its Jacobian "
    "fades to white: it passes almost nothing back."
)


SATURATED_J = 1e-6  # a Jacobian this small passes (almost) nothing back


def facts_caption(head: str, facts: claims.JacobianFacts, k: int) -> str:
    """One measured sentence about a Jacobian's structure (and a saturated head's silence)."""
    if head == "sigmoid":
        text = f"Diagonal: largest off-diagonal |J| = {num(facts.off_diagonal_max)}."
    else:
        text = (
            f"Dense: largest |row sum| = {num(facts.max_row_sum)}, largest |J − Jᵀ| = "
            f"{num(facts.asymmetry)}; rank {facts.rank} (K − 1 = {k - 1})."
        )
    if facts.max_abs < SATURATED_J:
        text += f" **Saturated:** every entry ≤ {num(facts.max_abs)}, almost nothing passes back."
    return text


def side_by_side(lab: Lab, points: dict[tuple[str, str], Point]) -> None:
    """Sigmoid and softmax next to each other, row by row so their charts line up.

    The two Jacobians share one colour scale, so their entries compare directly.
    """
    loss, names, c = lab.settings.loss, output_names(lab), lab.target_class
    limit = max(symmetric_limit(points[head, loss].jacobian) for head in heads.HEADS)
    rows = [st.columns(2, gap="large") for _ in range(3)]
    for i, head in enumerate(heads.HEADS):
        point = points[head, loss]
        rows[0][i].markdown(f"#### {head.capitalize()}: ${HEAD_FORMULAS[head]}$")
        with rows[1][i]:
            title = f"probabilities p (dark: the target, class {c})"
            chart(figures.probability_bars(point.probs, names, c, title), f"p_{head}")
        with rows[2][i]:
            title = f"Jacobian ∂p/∂z ({head})"
            chart(figures.jacobian_heatmap(point.jacobian, title, limit), f"jacobian_{head}")
            st.caption(facts_caption(head, claims.jacobian_facts(point.jacobian), lab.k))
    st.markdown(NOTICE)


# ---------------------------------------------------------------- the label's way back


def encoding_sentence(lab: Lab) -> str:
    """How the one bit becomes a target vector, in words."""
    present = "yes" if lab.label else "no"
    role = f"the object's output {lab.object_class}" if lab.label else "the background output 0"
    return (
        f"Object present: **{present}** (t = {lab.label}) → class {lab.target_class}, "
        f"{role} → one-hot target y below. The head is the **{lab.settings.head}**, the loss "
        f"**{LOSS_NAMES[lab.settings.loss]}**."
    )


def chain_row(lab: Lab, point: Point, y: np.ndarray) -> None:
    """p, y, ∂L/∂p, Jᵀ and ∂L/∂z as a row of small heatmaps, each centred at zero."""
    names = output_names(lab)
    height = 150 + 26 * lab.k
    vectors = [("p", point.probs, 1.0), ("target y", y, 1.0), ("∂L/∂p", point.dL_dp, None)]
    columns = st.columns([1.2, 0.9, 0.9, 2.6, 1.2])
    for i, (title, values, limit) in enumerate(vectors):
        with columns[i]:
            fig = figures.vector_heatmap(values, title, names, limit, height, show_names=i == 0)
            chart(fig, f"chain_{title}")
    with columns[3]:
        fig = figures.jacobian_heatmap(
            point.jacobian, "× Jᵀ", None, transpose=True, height=height, values_up_to=3
        )
        chart(fig, "chain_JT")
    with columns[4]:
        fig = figures.vector_heatmap(point.dL_dz, "= ∂L/∂z", names, None, height)
        chart(fig, "chain_dL_dz")


def _other_class(lab: Lab, p: np.ndarray) -> int:
    """The most probable class that is not the target: the one the label pushes down most."""
    ranked = [int(i) for i in np.argsort(-p, kind="stable") if i != lab.target_class]
    return ranked[0]


def cross_entropy_latex(lab: Lab, pt: Point) -> list[str]:
    """CE/BCE: the chain rule with numbers, ending in (p − y)/T."""
    c, j, t = lab.target_class, _other_class(lab, pt.probs), lab.settings.temperature
    loss = (
        rf"-\log p_{c}"
        if lab.settings.head == "softmax"
        else rf"-\log p_{c} - \sum_{{k \ne {c}}} \log(1 - p_k)"
    )
    lines = [
        rf"L = {loss} = {tex(pt.loss)}, \qquad \frac{{\partial L}}{{\partial p_{c}}} = "
        rf"-\frac{{1}}{{p_{c}}} = -\frac{{1}}{{{tex(pt.probs[c])}}} = "
        rf"{tex(pt.dL_dp[c])}"
    ]
    if lab.settings.head == "softmax":
        lines.append(
            rf"\frac{{\partial L}}{{\partial z_{c}}} = J_{{{c}{c}}}\,\frac{{\partial L}}"
            rf"{{\partial p_{c}}} = \underbrace{{\tfrac{{p_{c}(1-p_{c})}}{{T}}}}"
            rf"_{{{tex(pt.jacobian[c, c])}}}"
            rf"\cdot({tex(pt.dL_dp[c])}) = \frac{{p_{c} - 1}}{{T}} = {tex(pt.dL_dz[c])}"
        )
        lines.append(
            rf"\frac{{\partial L}}{{\partial z_{j}}} = J_{{{c}{j}}}\,\frac{{\partial L}}"
            rf"{{\partial p_{c}}} = \underbrace{{\left(-\tfrac{{p_{c}\,p_{j}}}{{T}}\right)}}"
            rf"_{{{tex(pt.jacobian[c, j])}}}\cdot({tex(pt.dL_dp[c])}) = \frac{{p_{j}}}{{T}} = "
            rf"{tex(pt.dL_dz[j])}"
        )
    else:
        lines.append(
            rf"\frac{{\partial L}}{{\partial z_{c}}} = \underbrace{{\tfrac{{p_{c}(1-p_{c})}}{{T}}}}"
            rf"_{{{tex(pt.jacobian[c, c])}}}\cdot({tex(pt.dL_dp[c])}) = \frac{{p_{c} - 1}}{{T}}"
            rf" = {tex(pt.dL_dz[c])}"
        )
        lines.append(
            rf"\frac{{\partial L}}{{\partial p_{j}}} = \frac{{1}}{{1-p_{j}}} = "
            rf"{tex(pt.dL_dp[j])} \;\Rightarrow\; \frac{{\partial L}}{{\partial z_{j}}} = "
            rf"\underbrace{{\tfrac{{p_{j}(1-p_{j})}}{{T}}}}_{{{tex(pt.jacobian[j, j])}}}"
            rf"\cdot {tex(pt.dL_dp[j])} = \frac{{p_{j}}}{{T}} = {tex(pt.dL_dz[j])}"
        )
    lines.append(
        rf"\frac{{\partial L}}{{\partial z}} = J^\top \frac{{\partial L}}{{\partial p}}"
        rf" = \frac{{p - y}}{{T}} = {tex_vector(pt.dL_dz, '∂L/∂z')}"
        + ("" if t == 1 else rf", \quad T = {tex(t)}")
    )
    return lines


def mse_latex(lab: Lab, pt: Point) -> list[str]:
    """MSE: ∂L/∂p = p − y, and the Jacobian's factor that stays in ∂L/∂z."""
    c = lab.target_class
    error = pt.dL_dp  # ∂MSE/∂p = p − y
    lines = [
        rf"L = \tfrac12 \sum_k (p_k - y_k)^2 = {tex(pt.loss)}",
        rf"\frac{{\partial L}}{{\partial p}} = p - y = {tex_vector(error, '∂L/∂p')}",
    ]
    if lab.settings.head == "sigmoid":
        lines.append(
            rf"\frac{{\partial L}}{{\partial z_{c}}} = \underbrace{{\tfrac{{p_{c}(1-p_{c})}}{{T}}}}"
            rf"_{{{tex(pt.jacobian[c, c])}}}\,(p_{c} - y_{c}) = {tex(pt.jacobian[c, c])} \cdot "
            rf"({tex(error[c])}) = {tex(pt.dL_dz[c])}"
        )
    else:
        own, rest = claims.chain_split(pt.jacobian, pt.dL_dp, c)
        lines.append(
            rf"\frac{{\partial L}}{{\partial z_{c}}} = \underbrace{{J_{{{c}{c}}}}}_"
            rf"{{p_{c}(1-p_{c})/T}}(p_{c} - y_{c}) + \sum_{{k \ne {c}}} J_{{k{c}}}(p_k - y_k) = "
            rf"{tex(own)} + ({tex(rest)}) = {tex(pt.dL_dz[c])}"
        )
    dL_dz = tex_vector(pt.dL_dz, "∂L/∂z")
    lines.append(rf"\frac{{\partial L}}{{\partial z}} = J^\top (p - y) = {dL_dz}")
    return lines


def literal_chain_note(lab: Lab, pt: Point) -> None:
    """Jᵀ ∂L/∂p multiplied out, against the closed form (p − y)/T the engine uses."""
    literal = claims.chain_rule(pt.jacobian, pt.dL_dp)
    gap = float(np.max(np.abs(literal - pt.dL_dz)))
    if gap <= 1e-9 * max(1.0, float(np.max(np.abs(pt.dL_dz)))):
        why = (
            "the off-diagonal −p_c p_j terms turn “−1/p on the true class” into “every "
            "output moves by its error”."
            if lab.settings.head == "softmax"
            else "each output's own p_k(1 − p_k) cancels BCE's 1/p_k or 1/(1 − p_k)."
        )
        st.caption(f"Check: Jᵀ ∂L/∂p multiplied out equals (p − y)/T to {num(gap)}: {why}")
        return
    st.info(
        f"Jᵀ ∂L/∂p multiplied out gives {num(float(literal[lab.target_class]))} for class "
        f"{lab.target_class}, but (p − y)/T = {num(float(pt.dL_dz[lab.target_class]))}: "
        f"p = {num(float(pt.probs[lab.target_class]))} has underflowed in float64, so the "
        "literal product is (almost) 0 × huge. That is why the engine computes (p − y)/T directly.",
        icon="ℹ️",
    )


def loss_comparison(lab: Lab, points: dict[tuple[str, str], Point]) -> None:
    """The target logit's gradient under CE and MSE at the same logits, and the whole norm."""
    head, c = lab.settings.head, lab.target_class
    ce, mse = points[head, "ce"], points[head, "mse"]
    cols = st.columns(4)
    cols[0].metric(f"∂L/∂z{c}, cross-entropy", num(float(ce.dL_dz[c])))
    cols[1].metric(f"∂L/∂z{c}, MSE", num(float(mse.dL_dz[c])))
    cols[2].metric("‖∂L/∂z‖, cross-entropy", num(float(np.linalg.norm(ce.dL_dz))))
    cols[3].metric("‖∂L/∂z‖, MSE", num(float(np.linalg.norm(mse.dL_dz))))
    p_c = float(ce.probs[c])
    if p_c < 0.1:
        st.warning(
            f"Confidently wrong: the target class has p{c} = {num(p_c)}. Cross-entropy still "
            f"pushes z{c} with ∂L/∂z{c} = {num(float(ce.dL_dz[c]))}; MSE keeps the Jacobian's "
            f"factor J{c}{c} = p{c}(1 − p{c})/T = {num(float(ce.jacobian[c, c]))} and pushes "
            f"with only {num(float(mse.dL_dz[c]))}: learning stalls.",
            icon=":material/trending_down:",
        )


def way_back(lab: Lab, points: dict[tuple[str, str], Point]) -> None:
    """The target, ∂L/∂p, Jᵀ and ∂L/∂z for the chosen head and loss, with formulas."""
    st.subheader("The label's way back: y → ∂L/∂p → Jᵀ → ∂L/∂z")
    st.markdown(encoding_sentence(lab))
    pt, y = points[lab.settings.head, lab.settings.loss], target_of(lab)
    chain_row(lab, pt, y)
    ce = lab.settings.loss == "ce"
    for line in cross_entropy_latex(lab, pt) if ce else mse_latex(lab, pt):
        st.latex(line)
    if ce:
        literal_chain_note(lab, pt)
    loss_comparison(lab, points)


# ---------------------------------------------------------------- the 2-way case


def _signed(x: float) -> str:
    """A number for LaTeX, in parentheses when negative (it follows a minus sign)."""
    return f"({tex(x)})" if x < 0 else tex(x)


def two_way_latex(lab: Lab, pair_p: np.ndarray, pair_J: np.ndarray) -> list[str]:
    """p_c = σ((z_c − z_0)/T) and J = q [[1, −1], [−1, 1]] with the current numbers."""
    c, t = lab.object_class, lab.settings.temperature
    z0, zc = lab.z[0], lab.z[c]
    sigma = heads.probabilities("sigmoid", np.array([[zc - z0]]), t)[0, 0]
    return [
        rf"p_{c} = \frac{{e^{{z_{c}/T}}}}{{e^{{z_0/T}} + e^{{z_{c}/T}}}} = "
        rf"\sigma\!\left(\frac{{z_{c} - z_0}}{{T}}\right)",
        rf"\sigma\!\left(\frac{{{tex(zc)} - {_signed(z0)}}}{{{tex(t)}}}\right) = {tex(sigma)}",
        rf"\text{{softmax}}(z_0, z_{c})_{c} = {tex(pair_p[1])}",
        rf"q = \frac{{p_{c}(1 - p_{c})}}{{T}} = {tex(pair_J[1, 1])}",
        r"J = q \begin{pmatrix} 1 & -1 \\ -1 & 1 \end{pmatrix}",
        rf"J = {tex_matrix(pair_J)}",
    ]


def two_way_case(lab: Lab) -> None:
    """The binary case: a 2-way softmax is a sigmoid of the logit difference."""
    st.subheader("Two outputs: a softmax is a sigmoid of the difference")
    c, t = lab.object_class, lab.settings.temperature
    pair = np.array([[lab.z[0], lab.z[c]]])
    pair_p = heads.probabilities("softmax", pair, t)[0]
    pair_J = heads.jacobian("softmax", pair_p[None], t)[0]
    d = lab.z[c] - lab.z[0]
    reach = min(100.0, max(12.0 * t, 1.3 * abs(d) + 2.0 * t))
    curve = claims.two_way_identity(lab.z[0], np.union1d(np.linspace(-reach, reach, 401), [d]), t)
    left, right = st.columns([1, 1], gap="large")
    with left:
        fig = figures.two_way_figure(curve, d, float(pair_p[1]), t, c)
        chart(fig, "two_way")
    with right:
        for line in two_way_latex(lab, pair_p, pair_J):
            st.latex(line)
        st.caption(
            f"Largest gap between the two curves: {num(curve.max_gap)} (rounding). "
            + (
                f"With K = {lab.k} this is the pair (z0, z{c}) on its own: background against "
                "object."
                if lab.k > 2
                else ""
            )
        )
    st.markdown(
        "So a sigmoid on w = w₁ − w₀, b = b₁ − b₀ is the same model. Training differs only in "
        "step size: the softmax's two output rows get opposite gradients ±(p₁ − t)h, so "
        "w₁ − w₀ moves *twice* the sigmoid's step (and w₁ + w₀ never moves)."
    )


# ---------------------------------------------------------------- gradient against a logit


def gradient_against_logit(lab: Lab, points: dict[tuple[str, str], Point]) -> None:
    """|∂L/∂z_i| for CE and MSE as logit i sweeps, the current logits marked."""
    st.subheader("The push on one logit as it sweeps: cross-entropy vs MSE")
    head, t = lab.settings.head, lab.settings.temperature
    left, right = st.columns([1, 3])
    with left:
        i = st.selectbox(
            "Sweep logit",
            range(lab.k),
            int(st.session_state.get(_key("sweep"), lab.sweep)),
            key=_key("sweep"),
            format_func=lambda j: f"z{j}",
        )
        st.caption(
            f"The {head} head, target class {lab.target_class}. The others stay where the "
            "sliders put them. Far on the wrong side the network is confidently wrong: "
            "cross-entropy's gradient levels off, MSE's dies away."
        )
    grid = claims.sweep_grid(lab.z, i, head, t, LOGIT_LIMIT)
    pushes = claims.gradient_sweep(head, lab.z, target_of(lab), i, grid, t)
    current = {loss: abs(float(points[head, loss].dL_dz[i])) for loss in pushes}
    with right:
        fig = figures.gradient_sweep_figure(grid, pushes, lab.z[i], current, f"z{i}")
        chart(fig, "gradient_sweep")


# ---------------------------------------------------------------- claims checked

WRONG, RIGHT, PARTLY = ":red[**✗ Wrong.**]", ":green[**✓ Right.**]", ":orange[**≈ Partly.**]"


def diagonal_claim(lab: Lab) -> None:
    """The answer's diagonal formula against finite differences, and the corrected one."""
    check = claims.check_diagonal(lab.z, lab.settings.temperature)
    st.markdown("**“The diagonal of the softmax derivative is …”**")
    st.latex(
        r"\text{as written:}\quad \frac{\partial g_i}{\partial x_i} = "
        r"\frac{e^{x_i}\sum_{j\ne i} x_j}{\left(\sum_j e^{x_j}\right)^2}"
    )
    st.latex(
        r"\text{corrected:}\quad \frac{e^{x_i}\sum_{j\ne i} e^{x_j}}"
        r"{\left(\sum_j e^{x_j}\right)^2} = p_i(1 - p_i)"
    )
    if check.saturated:
        verdict = (
            f"{PARTLY} Here the head is saturated and every formula gives ≈ 0; move "
            "the logits closer together to see them part."
        )
    elif check.as_written_matches:
        verdict = f"{PARTLY} At these logits the two happen to agree; move a slider."
    else:
        verdict = (
            f"{WRONG} The inner sum must be of $e^{{x_j}}$, not $x_j$. "
            f"As written it is off by {num(check.error_as_written)}; corrected, "
            f"{num(check.error_corrected)} (finite-difference rounding)."
        )
    st.markdown(verdict)
    st.caption(f"Evaluated live at x = z / T = ({', '.join(num(v) for v in check.x)}).")
    chart(figures.diagonal_check_figure(check), "claim_diagonal")


def signs_claim(lab: Lab) -> None:
    """The signs of the softmax Jacobian, counted."""
    signs = claims.check_signs(lab.z, lab.settings.temperature)
    k = signs.k
    st.markdown(
        r"**“$\partial g_i/\partial x_j > 0$” … and later “$\partial g_i/\partial x_j < 0$”, "
        "for the same symbol**"
    )
    st.markdown(
        f"{WRONG if signs.wrong_sign == 0 else PARTLY} Both, depending on i and j: positive only "
        f"on the diagonal (i = j), negative everywhere else. Here: {signs.diagonal_positive} of "
        f"{k} diagonal entries > 0, {signs.off_diagonal_negative} of {k * (k - 1)} off-diagonal "
        f"entries < 0, {signs.wrong_sign} of the opposite sign"
        + (
            f", {signs.diagonal_zero + signs.off_diagonal_zero} exactly 0 in float64 (saturated)."
            if signs.diagonal_zero + signs.off_diagonal_zero
            else "."
        )
    )
    chart(figures.sign_heatmap(signs.signs), "claim_signs")


@st.cache_data(ttl=600, max_entries=16, show_spinner="Timing both heads on this server…")
def measured_timings(token: int) -> tuple[list[claims.TimingRow], str]:
    """claims.time_heads at K = 2 and 1000, with the time of day it ran. token: re-measure."""
    return claims.time_heads(TIMING_KS), time.strftime("%H:%M:%S")


def timing_table(rows: list[claims.TimingRow]) -> pd.DataFrame:
    """Microseconds per call and the softmax/sigmoid ratio, two rows per K."""
    records = []
    for r in rows:
        for part, sig, soft, ratio in (
            ("forward", r.sigmoid_forward, r.softmax_forward, r.forward_ratio),
            ("forward + Jacobian", r.sigmoid_full, r.softmax_full, r.full_ratio),
        ):
            records.append(
                {
                    "K": str(r.k),
                    "pass": part,
                    "sigmoid (µs)": num(sig * 1e6),
                    "softmax (µs)": num(soft * 1e6),
                    "softmax / sigmoid": f"{ratio:.2f}×",
                }
            )
    return pd.DataFrame(records)


def _compared(ratio: float) -> str:
    return f"{ratio:.2f}× the sigmoid's time" + (" (faster)" if ratio < 1 else "")


def timing_claim() -> None:
    """Both heads timed on the server, with a Re-measure button."""
    st.markdown("**“Softmax is slower to compute than the sigmoid.”**")
    rows, when = measured_timings(st.session_state.get(_key("timing"), 0))
    small, large = rows[0], rows[-1]
    st.markdown(
        f"{PARTLY} Forward pass, one example: at K = {small.k} the softmax takes "
        f"{_compared(small.forward_ratio)}, at K = {large.k} {_compared(large.forward_ratio)}: "
        f"microseconds either way. Its Jacobian is a dense K × K matrix, the sigmoid's a "
        f"diagonal: with it, {_compared(large.full_ratio)} at K = {large.k}. Training never "
        "builds it, though: with cross-entropy ∂L/∂z = p − y costs O(K)."
    )
    st.table(timing_table(rows), border="horizontal")
    left, right = st.columns([1, 2])
    left.button("Re-measure", key=_key("remeasure"), on_click=_remeasure)
    right.caption(
        f"Measured on this server at {when} with time.perf_counter: best of 7 "
        "timed loops per entry, the heads interleaved. These machines are noisy; "
        "read the ratios."
    )


def convergence_claim(lab: Lab) -> None:
    """The race lives on /compare; the exact answer is stated here."""
    st.markdown("**“Softmax may help convergence occur faster.”**")
    query = to_query(replace(lab.settings, head="softmax", k=2)) | {"matchup": "race"}
    link = f"/compare?{urlencode(query)}"
    st.markdown(
        f"{PARTLY} Not by itself. With two outputs a softmax *is* a sigmoid of z₁ − z₀ (above), "
        "but its output layer steps twice as far: at the same learning rate η it behaves like "
        "the sigmoid at 2η, and at η/2 it follows the sigmoid step for step. "
        f"[Race them on the same data and initial weights on /compare]({link})."
    )


def claims_checked(lab: Lab) -> None:
    """The four claims of the Q&A answer, each beside its live check."""
    st.subheader("Claims checked")
    st.caption(
        "Statements from a well-known Q&A answer about softmax and binary labels, "
        "each next to a live check at the current logits and temperature."
    )
    top = st.columns(2, gap="large")
    with top[0], st.container(border=True):
        diagonal_claim(lab)
    with top[1], st.container(border=True):
        signs_claim(lab)
    bottom = st.columns([3, 2], gap="large")
    with bottom[0], st.container(border=True):
        timing_claim()
    with bottom[1], st.container(border=True):
        convergence_claim(lab)


# ---------------------------------------------------------------- the page


def render() -> None:
    """The /heads page."""
    st.title("Heads lab: sigmoid vs softmax")
    st.caption(
        "Move the logits in the sidebar: every number and chart below is the engine's, "
        "recomputed at once. Output 0 is the background; the label says whether the "
        "object is present."
    )
    lab = lab_ui()
    points = evaluate(lab)
    side_by_side(lab, points)
    way_back(lab, points)
    two_way_case(lab)
    gradient_against_logit(lab, points)
    claims_checked(lab)
    write_lab(lab)
    share.share_panel(lab.settings, "heads", **lab_query(lab))
