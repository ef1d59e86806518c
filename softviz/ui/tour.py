"""/tour — a guided lesson a teacher can click through: Back / Next, the step in the URL.

Content lives in softviz.tour_steps; the numbers behind each live view come from
softviz.lessons (cached: they are deterministic), the figures from softviz.figures.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from softviz import lessons
from softviz.figures.story import story_figure
from softviz.figures.tour import (
    Panel,
    grouped_bars,
    heatmap_panels,
    identity_figure,
    image_strip,
    line_chart,
    outer_product_figure,
)
from softviz.settings import shown
from softviz.story import snapshot
from softviz.tour_steps import BAD_START, STEPS, XOR_RUN, Step
from softviz.ui.common import chart, query_settings, write_query
from softviz.ui.nav import lab_link
from softviz.ui.presentation import apply_presentation
from softviz.ui.share import share_panel

STEP_PARAM = "step"
WIDE_VIEWS = {"images", "story", "mse"}  # drawn under the text at full width, not beside it


def step_from_url() -> int:
    """The 1-based step number from `?step=`; a bad value falls back to 1 with a warning."""
    raw = st.query_params.get(STEP_PARAM)
    if raw is None:
        return 1
    if raw.strip().isdigit() and 1 <= int(raw) <= len(STEPS):
        return int(raw)
    st.warning(
        f"Ignored step={shown(raw)} (expected a whole number from 1 to {len(STEPS)}); "
        "showing step 1.",
        icon="⚠️",
    )
    return 1


def _go(number: int) -> None:
    """Button callback: move to another step (the rerun reads it back from the URL)."""
    st.query_params[STEP_PARAM] = str(number)


def navigation(number: int) -> None:
    """Back and Next (Page Up / Page Down, as a presentation clicker sends), and progress."""
    back, progress, forward = st.columns([1, 2, 1], vertical_alignment="center")
    back.button(
        "Back",
        key="tour_back",
        icon=":material/arrow_back:",
        on_click=_go,
        args=(number - 1,),
        disabled=number == 1,
        shortcut="PageUp",
        width="stretch",
    )
    progress.progress(number / len(STEPS), text=f"Step {number} of {len(STEPS)}")
    forward.button(
        "Next",
        key="tour_next",
        icon=":material/arrow_forward:",
        type="primary",
        on_click=_go,
        args=(number + 1,),
        disabled=number == len(STEPS),
        shortcut="PageDown",
        width="stretch",
    )


def step_text(step: Step) -> None:
    """The step's words and its "Open this view" links."""
    st.markdown(step.text)
    st.markdown("**Open this view**" if len(step.links) == 1 else "**Open these views**")
    for link in step.links:
        lab_link(link.path, link.label, dict(link.query), icon=":material/open_in_new:")


def render() -> None:
    """The /tour page."""
    settings = apply_presentation(query_settings())
    number = step_from_url()
    write_query(settings, step=str(number))
    step = STEPS[number - 1]
    navigation(number)
    st.title(step.title)
    if step.view in WIDE_VIEWS or not step.view:
        step_text(step)
        _draw_view(step.view)
    else:
        words, picture = st.columns([2, 3], gap="large")
        with words:
            step_text(step)
        with picture:
            _draw_view(step.view)
    share_panel(settings, "tour", expanded=True, step=str(number))


def _draw_view(name: str) -> None:
    if name:
        VIEWS[name]()


# --- live views: engine numbers (cached) → figure → chart --------------------------------


@st.cache_data(show_spinner=False)
def _images() -> tuple[np.ndarray, np.ndarray]:
    return lessons.sample_images(8)


def view_images() -> None:
    images, labels = _images()
    chart(image_strip(images, labels.tolist()), "tour_images")
    st.caption("Eight training images, 10 × 10 pixels, with noise and dim clutter dots.")


def view_sigmoid() -> None:
    z = np.linspace(-8, 8, 321)
    p, slope = lessons.sigmoid_curve(z)
    fig = line_chart(z, {"p = σ(z)": p, "slope p(1 − p)": slope}, "", "logit z", "")
    chart(fig, "tour_sigmoid")


def view_softmax() -> None:
    z = lessons.EXAMPLE_LOGITS
    temperatures = (1.0, 3.0, 0.5)
    probs = lessons.softmax_at(z, temperatures)
    labels = [f"z{i} = {v:g}" for i, v in enumerate(z)]
    series = {f"p at T = {t:g}": probs[i] for i, t in enumerate(temperatures)}
    chart(grouped_bars(labels, series, "softmax(z / T): every row sums to 1"), "tour_softmax")


def _logit_labels(k: int) -> tuple[list[str], list[str]]:
    return [f"z{i}" for i in range(k)], [f"p{i}" for i in range(k)]


def view_jacobian() -> None:
    sig, soft = lessons.jacobians(lessons.EXAMPLE_LOGITS)
    zs, ps = _logit_labels(len(lessons.EXAMPLE_LOGITS))
    panels = [
        Panel(sig, "sigmoids: diag(p(1 − p))", zs, ps),
        Panel(soft, "softmax: diag(p) − p pᵀ", zs, ps),
    ]
    chart(heatmap_panels(panels, height=340, shared=True), "tour_jacobian")
    logits = ", ".join(f"{v:g}" for v in lessons.EXAMPLE_LOGITS)
    st.caption(f"Both at z = ({logits}), on one colour scale. Row pᵢ, column zⱼ: ∂pᵢ/∂zⱼ.")


def view_chain() -> None:
    out, _ = lessons.chain(lessons.EXAMPLE_LOGITS, true_class=1)
    zs, ps = _logit_labels(out.probs.shape[1])
    panels = [
        Panel(out.dL_dp.T, "∂L/∂p = −y/p", [""], ps, 0.6),
        Panel(out.jacobian[0].T, "Jᵀ", ps, zs, 2.0),
        Panel(out.dL_dz.T, "∂L/∂z", [""], zs, 0.6),
    ]
    chart(heatmap_panels(panels, height=340), "tour_chain")
    st.caption(
        "True class 1. Jᵀ times the left column gives the right one: only one entry "
        "of ∂L/∂p is non-zero, every entry of ∂L/∂z is."
    )


def view_error() -> None:
    out, y = lessons.chain(lessons.EXAMPLE_LOGITS, true_class=1)
    labels = [f"output {i}" for i in range(out.probs.shape[1])]
    series = {"p": out.probs[0], "y (true class 1)": y, "p − y": out.dL_dz[0]}
    fig = grouped_bars(labels, series, "p − y: the true class pulled up, the others pushed down")
    chart(fig, "tour_error")


@st.cache_data(show_spinner=False)
def _outer():
    trace = lessons.outer_product_example()
    return trace.dL_dz[0], trace.hidden[0], trace.grads["W2"], trace.probs[0]


def view_outer() -> None:
    err, h, grad, p = _outer()
    chart(outer_product_figure(err, h, grad), "tour_outer")
    st.caption(f"One test image with the object, after 20 steps: p = {np.round(p, 3).tolist()}.")


@st.cache_data(show_spinner=False)
def _xor_history() -> dict[str, list[float]]:
    return lessons.training_run(XOR_RUN, 300)


def view_training() -> None:
    history = _xor_history()
    steps = np.array(history["step"])
    series = {
        "train loss": np.array(history["train_loss"]),
        "test accuracy": np.array(history["test_acc"]),
    }
    chart(line_chart(steps, series, "XOR, 8 hidden units, lr 0.5", "step", ""), "tour_training")


def view_identity() -> None:
    d, p1, _ = lessons.identity_points()
    grid = np.linspace(-10, 10, 401)
    chart(identity_figure(d, p1, grid, lessons.sigmoid_curve(grid)[0]), "tour_identity")


@st.cache_data(show_spinner=False)
def _race() -> dict[str, np.ndarray]:
    return lessons.matched_race()


def view_race() -> None:
    runs = _race()
    steps = np.arange(len(next(iter(runs.values()))))
    fig = line_chart(steps, runs, "Training loss, no hidden layer (η = 2)", "step", "loss")
    chart(fig, "tour_race")
    gap = np.abs(runs["sigmoid-1 at η"] - runs["softmax-2 at η/2"]).max()
    st.caption(f"Largest gap between sigmoid-1 at η and softmax-2 at η/2: {gap:.1e}.")


@st.cache_data(show_spinner=False)
def _ce_mse() -> dict[str, np.ndarray]:
    return lessons.ce_against_mse(BAD_START)


def view_mse() -> None:
    z = np.linspace(-8, 8, 321)
    left, right = st.columns(2, gap="large")
    with left:
        title = "|∂L/∂z| of a sigmoid output, label t = 1"
        chart(line_chart(z, lessons.gradient_vs_logit(z), title, "logit z", ""), "tour_mse_grad")
    curves = _ce_mse()
    steps = np.arange(len(curves["MSE"]))
    with right:
        title = "Test accuracy from a confidently wrong start"
        chart(line_chart(steps, curves, title, "step", ""), "tour_mse_race")


@st.cache_data(show_spinner=False)
def _story():
    return snapshot()


def view_story() -> None:
    chart(story_figure(_story()), "tour_story")


VIEWS: dict[str, Callable[[], None]] = {
    "images": view_images,
    "sigmoid": view_sigmoid,
    "softmax": view_softmax,
    "jacobian": view_jacobian,
    "chain": view_chain,
    "error": view_error,
    "outer": view_outer,
    "training": view_training,
    "identity": view_identity,
    "race": view_race,
    "mse": view_mse,
    "story": view_story,
}
