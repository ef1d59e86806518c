"""/train — the training lab: step a tiny classifier and watch the gradient flow from the
label back into every weight.

The sidebar (softviz.ui.controls) yields one Settings; a Trainer per session lives in
st.session_state and is rebuilt, with a note, only when a training setting or the data
changes. The views run inside the playback fragment: while playing they redraw every frame
without the interactive extras (selection, the example inspector), when paused they are
complete and clickable.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from softviz.datasets import Dataset, make_dataset
from softviz.figures import frames
from softviz.figures import train as figs
from softviz.settings import Settings
from softviz.training import (
    HISTORY_KEYS,
    Trainer,
    data_seed,
    output_gradient_by_class,
    training_changes,
)
from softviz.ui import controls, inspector, playback, presentation, share
from softviz.ui.common import write_query

KEY = "train"
CONTROLS = "ctl"
TRAINER, TOKEN = "trainer", "train_data_token"
GRID = 100
GALLERY = 32
INTRO = (
    "A tiny network learns a yes/no label, one SGD step at a time. Every view below is the "
    "current state: the curves, the gradient ∂L/∂W2 = δ hᵀ that the label sends into the "
    "output layer, the hidden layer's weights and gradients, and what the network predicts. "
    "Red is positive, blue negative, white zero; SGD moves every weight against its gradient's "
    "colour."
)


@st.cache_data(max_entries=64, show_spinner=False)
def generated(name: str, n: int, noise: float, seed: int, test: float) -> Dataset:
    """A generated dataset, cached across reruns and sessions (pure and deterministic)."""
    return make_dataset(name, n, noise, seed, test)


def data_for(settings: Settings) -> tuple[Dataset | None, str]:
    """The data to train on and a token naming it; (None, "") with a message if there is none."""
    if settings.dataset != controls.CSV:
        args = (settings.dataset, settings.n, settings.noise, data_seed(settings), settings.test)
        return generated(*args), ""
    choice = controls.csv_choice(CONTROLS)
    if choice is None:
        st.info("Upload a CSV file in the sidebar, or press “Use example”, to train on it.")
        return None, ""
    classes = choice.data.n_classes
    if classes > max(settings.k, 2):
        st.error(
            f"The label `{choice.data.label}` has {classes} classes but the head has "
            f"K = {settings.k} outputs: set Outputs K to {classes} or more.",
            icon="🚫",
        )
        return None, ""
    return choice.data.dataset, choice.token


def trainer_for(settings: Settings, data: Dataset, token: str) -> Trainer:
    """This session's Trainer; a new one (and a note saying why) when training settings or
    the data changed. Display options (speed, presentation) never restart training."""
    current: Trainer | None = st.session_state.get(TRAINER)
    same_data = st.session_state.get(TOKEN) == token
    if current is not None and same_data and not training_changes(current.settings, settings):
        current.settings = settings
        return current
    if current is not None:
        changes = training_changes(current.settings, settings) or ["the CSV data"]
        st.info(f"Changed {'; '.join(changes)}: training restarted from step 0.", icon="🔄")
        playback.stop(KEY)
    return reset(settings, data, token)


def reset(settings: Settings, data: Dataset, token: str) -> Trainer:
    """Start training afresh from the settings' initial weights."""
    st.session_state[TRAINER] = Trainer(settings, data)
    st.session_state[TOKEN] = token
    return st.session_state[TRAINER]


def metrics_ui(trainer: Trainer) -> None:
    """Steps, epoch, and train/test loss and accuracy with their change over the last action."""
    rows = trainer.history.rows
    now = rows[-1]
    before = rows[-1 - trainer.last_advance] if trainer.last_advance else None
    cols = st.columns(6)
    cols[0].metric("Steps", trainer.steps)
    cols[1].metric("Epoch", f"{trainer.epoch:.2f}")
    specs = (
        ("Train loss", 1, False),
        ("Test loss", 2, False),
        ("Train accuracy", 3, True),
        ("Test accuracy", 4, True),
    )
    for col, (label, i, percent) in zip(cols[2:], specs, strict=True):
        delta = None if before is None else now[i] - before[i]
        col.metric(
            label,
            f"{now[i]:.1%}" if percent else f"{now[i]:.4f}",
            delta=None
            if delta is None
            else (f"{delta * 100:+.1f} pts" if percent else f"{delta:+.4f}"),
            delta_color="normal" if percent else "inverse",
        )


def chart(fig, key: str) -> None:
    """Show a figure at full width; while playing without hover or zoom layers."""
    config = {"displaylogo": False, "staticPlot": playback.is_playing(KEY)}
    st.plotly_chart(presentation.styled(fig), width="stretch", key=key, config=config)


PLAYING_NOTE = (
    "Playing: the views are drawn as light pictures, about ten a second. Pause for the "
    "interactive charts: values on hover, zoom, and a click on an example to inspect it."
)


def canvas(width: float) -> float:
    """The width to draw a Play picture at: narrower in presentation mode, so the stretched
    picture's text and lines come out about 1.5× larger, as the charts' do on a projector."""
    return width / presentation.PICTURE_ZOOM if presentation.is_on() else width


def picture(svg: str) -> None:
    """Show a Play frame (softviz.figures.frames) at full width: the browser swaps an image
    in a millisecond or two where rebuilding a Plotly chart costs it tens."""
    st.image(svg, width="stretch")


def views(trainer: Trainer) -> None:
    """Everything that changes with each step (drawn inside the playback fragment)."""
    playing = playback.is_playing(KEY)
    metrics_ui(trainer)
    with st.container():  # notes come and go inside; the views below keep their place
        if trainer.diverged:
            st.error(trainer.diverged, icon="🛑")
        elif playing:
            st.caption(PLAYING_NOTE)
    if trainer.last_trace is None:
        return
    _curves_ui(trainer)
    left, right = st.columns([6, 5], gap="medium")
    with left:
        _output_layer_ui(trainer)
    with right:
        _data_view_ui(trainer, playing)
    _hidden_layer_ui(trainer)
    inspector.inspector_ui(trainer, KEY, playing)


def _curves_ui(trainer: Trainer) -> None:
    # Thin first: a long run has thousands of rows, the chart needs a few hundred.
    rows = trainer.history.rows
    kept = np.array([rows[i] for i in figs.thin(len(rows))], dtype=float)
    history = dict(zip(HISTORY_KEYS, kept.T, strict=True))
    if playback.is_playing(KEY):
        picture(frames.curves_svg(history, width=canvas(1000)))
    else:
        chart(figs.curves_figure(history), "train_curves")
    n_train, n_test = len(trainer.data.X_train), len(trainer.data.X_test)
    note = f"{n_train} training and {n_test} test examples"
    if trainer.eval_size("train") < n_train or trainer.eval_size("test") < n_test:
        note += (
            f"; the curves are measured on {trainer.eval_size('train')} and "
            f"{trainer.eval_size('test')} of them to keep each step fast"
        )
    st.caption(f"{note}. Batch of {trainer.batch_size} per step.")


def _output_labels(k: int) -> list[str]:
    if k == 1:
        return ["z0 (obj)"]
    return ["z0 (no)", "z1 (obj)"] if k == 2 else [f"z{i}" for i in range(k)]


def _output_layer_ui(trainer: Trainer) -> None:
    st.subheader("Output layer: the gradient landing on W2")
    trace, params, data = trainer.last_trace, trainer.net.params, trainer.data
    k = params["W2"].shape[0]
    if trainer.net.n_hidden == 0 and data.image_shape is not None:
        if playback.is_playing(KEY):
            grad, weights = trace.grads["W2"], params["W2"]
            picture(frames.templates_svg(grad, weights, data.image_shape, "z", canvas(560)))
        else:
            fig = figs.templates_figure(trace.grads["W2"], params["W2"], data.image_shape, "z")
            chart(fig, "train_output_templates")
        st.caption(
            f"No hidden layer: each output's weights are an image. ∂L/∂b2 = "
            f"{np.array2string(trace.grads['b2'], precision=3)}."
        )
        return
    inputs, outs = _input_labels(trainer), _output_labels(k)
    grad_b = trace.grads["b2"]
    panels = [
        figs.Panel(
            trace.grads["W2"], "∂L/∂W2, batch mean", inputs, _with(outs, "∂b", grad_b), "∂L/∂W2"
        )
    ]
    for c, values in output_gradient_by_class(trace).items():
        labels = [f"t={c} z{i}{'★' if _is_target(c, i, k) else ''}" for i in range(k)]
        panels.append(
            figs.Panel(
                values[:, :-1],
                f"… over the batch's class-{c} examples only",
                inputs,
                _with(labels, "∂b", values[:, -1]),
                "∂L/∂W2",
            )
        )
    panels.append(
        figs.Panel(params["W2"], "Weights W2", inputs, _with(outs, "b", params["b2"]), "W2")
    )
    if playback.is_playing(KEY):
        picture(frames.heatmap_stack_svg(panels, width=canvas(560)))
    else:
        chart(figs.heatmap_stack(panels), "train_output_layer")
    st.caption(OUTPUT_CAPTION)


def _with(labels: list[str], name: str, values: np.ndarray) -> list[str]:
    """Row labels that also carry each row's bias value (biases have their own scale)."""
    return [f"{label} {name}{v:+.3f}" for label, v in zip(labels, values, strict=True)]


OUTPUT_CAPTION = (
    "Row k of ∂L/∂W2 is δ_k·h with δ = ∂L/∂z (= p − y for cross-entropy). Split by true class, "
    "the target's row (★) has δ < 0: where h ≥ 0 (ReLU or sigmoid units) it is blue, and SGD "
    "pulls that row toward h. Every other row has δ = p_k > 0: red, pushed away in proportion "
    "to its probability — the “negative reinforcement” the label sends to the wrong outputs. "
    "Each row label ends with its bias gradient ∂b (or bias b), which has a scale of its own."
)


def _is_target(c: int, output: int, k: int) -> bool:
    return (c == 1) if k == 1 else (c == output)


def _input_labels(trainer: Trainer) -> list[str]:
    if trainer.net.n_hidden:
        return [f"h{j}" for j in range(trainer.net.n_hidden)]
    return list(trainer.data.feature_names) or [f"x{j}" for j in range(trainer.data.n_features)]


def _hidden_layer_ui(trainer: Trainer) -> None:
    st.subheader("Hidden layer: ∂L/∂W1 and W1")
    net, data, trace = trainer.net, trainer.data, trainer.last_trace
    if net.n_hidden == 0:
        st.caption("No hidden layer (hidden units = 0): the output layer sees the input directly.")
        return
    if data.image_shape is not None:
        if playback.is_playing(KEY):
            grad, weights = trace.grads["W1"], net.params["W1"]
            picture(frames.templates_svg(grad, weights, data.image_shape, width=canvas(1000)))
        else:
            fig = figs.templates_figure(trace.grads["W1"], net.params["W1"], data.image_shape)
            chart(fig, "train_hidden_templates")
        st.caption(
            "Each tile is one hidden unit's 100 incoming weights (right) and their gradient "
            "(left), laid out as the image they multiply: ∂L/∂W1 = (∂L/∂a) xᵀ, so a unit's "
            "gradient is a weighted sum of the batch's images. Watch a unit become a detector."
        )
        return
    names = list(data.feature_names) or [f"x{j}" for j in range(data.n_features)]
    units = [f"h{j}" for j in range(net.n_hidden)]
    panels = [
        figs.Panel(
            np.c_[trace.grads["W1"], trace.grads["b1"]].T,
            "∂L/∂W1 | ∂L/∂b1 (batch mean)",
            units,
            names + ["bias"],
            "∂L/∂W1",
        ),
        figs.Panel(
            np.c_[net.params["W1"], net.params["b1"]].T,
            "Weights W1 | b1",
            units,
            names + ["bias"],
            "W1",
        ),
    ]
    if playback.is_playing(KEY):
        picture(frames.heatmap_stack_svg(panels, width=canvas(1000)))
    else:
        chart(figs.heatmap_stack(panels), "train_hidden_layer")
    st.caption("Column j is hidden unit hj: its weight from each input and its bias.")


def _data_view_ui(trainer: Trainer, playing: bool) -> None:
    data = trainer.data
    if data.image_shape is not None:
        st.subheader("Test images and p(object)")
        fig = _gallery(trainer, playing)
    elif data.n_features == 2:
        st.subheader("Decision boundary and p(class 1)")
        fig = _surface(trainer, playing)
    else:
        st.subheader("Test predictions")
        fig = figs.strip_figure(_prob1(trainer, data.X_test), data.y_test)
    if isinstance(fig, str):
        picture(fig)
        return
    if playing:
        chart(fig, "train_data_live")
        return
    event = st.plotly_chart(
        presentation.styled(fig),
        width="stretch",
        key="train_data_pick",
        on_select="rerun",
        selection_mode="points",
        config={"displaylogo": False},
    )
    inspector.take_pick(KEY, event)
    st.caption(
        "Click a point or image to inspect it below; a red frame or black ring marks a mistake."
    )


def _prob1(trainer: Trainer, X: np.ndarray) -> np.ndarray:
    """p(class 1) (n,): the object/positive class's probability (output 0 for one sigmoid)."""
    p = trainer.probabilities(X)
    return p[:, 0] if p.shape[1] == 1 else p[:, 1]


def _gallery(trainer: Trainer, playing: bool):
    """The test-image gallery: a Plotly figure, or while playing an SVG Play frame."""
    data = trainer.data
    order = inspector.gallery_order(KEY, trainer, _prob1(trainer, data.X_test))[:GALLERY]
    images = data.X_test[order].reshape(-1, *data.image_shape)
    prob = _prob1(trainer, data.X_test[order])
    if playing:
        return frames.gallery_svg(images, prob, data.y_test[order], width=canvas(470))
    return figs.gallery_figure(images, prob, data.y_test[order], order)


@st.cache_data(max_entries=64, show_spinner=False)
def grid(low: tuple[float, float], high: tuple[float, float], size: int = GRID):
    """Axes (size,) and the points (size², 2) of a size × size grid covering [low, high]."""
    axis_x = np.linspace(low[0], high[0], size)
    axis_y = np.linspace(low[1], high[1], size)
    xx, yy = np.meshgrid(axis_x, axis_y)
    return axis_x, axis_y, np.c_[xx.ravel(), yy.ravel()]


def _surface(trainer: Trainer, playing: bool = False):
    """The decision surface: a Plotly figure, or while playing an SVG Play frame."""
    data = trainer.data
    X = np.r_[data.X_train, data.X_test]
    pad = 0.1 * (X.max(axis=0) - X.min(axis=0)) + 1e-6
    low, high = X.min(axis=0) - pad, X.max(axis=0) + pad
    axis_x, axis_y, points = grid(tuple(np.round(low, 2)), tuple(np.round(high, 2)))
    prob = _prob1(trainer, points).reshape(len(axis_y), len(axis_x))
    shown = {}
    for split, (Xs, ys) in {
        "train": (data.X_train, data.y_train),
        "test": (data.X_test, data.y_test),
    }.items():
        rows = np.arange(min(len(Xs), 200 if playing else 500))  # points cost frames
        shown[split] = (Xs[rows], ys[rows], trainer.net.predict(Xs[rows]))
    names = data.feature_names or ("x1", "x2")
    if playing:
        return frames.surface_svg(axis_x, axis_y, prob, shown, names, canvas(470))
    return figs.surface_figure(axis_x, axis_y, prob, shown, names)


def render() -> None:
    """The /train page."""
    st.title("Training lab")
    st.caption(INTRO)
    with st.container():  # notes come and go inside; the views below keep their place
        settings = controls.settings_ui(controls.url_settings(CONTROLS), key=CONTROLS, csv=True)
        settings = presentation.apply_presentation(settings)
        write_query(settings)
        data, token = data_for(settings)
        trainer = None if data is None else trainer_for(settings, data, token)
        share.share_panel(settings, "train", trainer=trainer)
    if trainer is None:
        return
    playback.buttons_ui(KEY, trainer, lambda: reset(settings, data, token))
    playback.live_views(KEY, trainer, views, settings.speed)
