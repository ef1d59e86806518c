"""/train — the training lab: step a tiny classifier and watch the gradient reach W2."""

from __future__ import annotations

import streamlit as st

from softviz.figures.common import heatmap
from softviz.settings import Settings
from softviz.training import Trainer
from softviz.ui import presentation
from softviz.ui.common import chart, query_settings, write_query


def trainer_for(settings: Settings) -> Trainer:
    """This session's Trainer, rebuilt (with a note) when the settings change."""
    current = st.session_state.get("trainer")
    if current is None or current.settings != settings:
        if current is not None:
            st.info("Settings changed: training restarted from step 0.")
        st.session_state["trainer"] = Trainer(settings)
    return st.session_state["trainer"]


def controls_ui(trainer: Trainer) -> None:
    """The Step button and the Steps metric."""
    if st.button("Step", type="primary", key="step"):
        trainer.step(1)
    st.metric("Steps", trainer.steps)
    if trainer.diverged:
        st.error(trainer.diverged)


def gradient_views(trainer: Trainer) -> None:
    """The softmax Jacobian of the batch's first example and the batch gradient ∂L/∂W2."""
    trace = trainer.last_trace
    k = trace.probs.shape[1]
    outputs = [f"p{i}" for i in range(k)]
    left, right = st.columns(2)
    with left:
        fig = heatmap(trace.jacobian[0], "Jacobian ∂p/∂z (first example of the batch)",
                      [f"z{i}" for i in range(k)], outputs, value_name="∂p/∂z")  # fmt: skip
        chart(fig, "jacobian")
    with right:
        grad_W2 = trace.grads["W2"]
        inputs = [f"h{j}" for j in range(grad_W2.shape[1])]
        fig = heatmap(grad_W2, "Gradient ∂L/∂W2 (batch mean)", inputs,
                      [f"z{i}" for i in range(k)], value_name="∂L/∂W2")  # fmt: skip
        chart(fig, "grad_W2")


def render() -> None:
    """The /train page."""
    st.title("Training lab")
    settings = query_settings()
    settings = presentation.apply_presentation(settings)
    write_query(settings)
    trainer = trainer_for(settings)
    controls_ui(trainer)
    gradient_views(trainer)
