"""/ — the landing page: one real picture of the whole story, three sentences, the ways in."""

from __future__ import annotations

import streamlit as st

from softviz.figures.story import story_figure
from softviz.settings import DEFAULTS
from softviz.story import Snapshot, snapshot
from softviz.ui.common import chart, query_settings, write_query
from softviz.ui.nav import lab_link
from softviz.ui.presentation import apply_presentation
from softviz.ui.share import share_panel

STORY_STEPS = 100
STORY = (
    "Your label is one bit: does the image contain the object? "
    "A sigmoid or a softmax turns the network's logits into probabilities $p$, and training "
    "sends the error $p - y$ back the other way, through the head's Jacobian, into every "
    "weight. softviz trains a tiny network in front of you and draws every number on that way "
    "back — the picture below is a real one."
)
# (URL path, label, one line on what is there, icon)
WAYS_IN = (
    (
        "tour",
        "Take the tour",
        "Twelve short steps from sigmoid and softmax to p − y and MSE, "
        "made for a classroom projector.",
        ":material/school:",
    ),
    (
        "heads",
        "Heads lab",
        "Logits in; probabilities, Jacobians and the backward chain out, "
        "with popular claims checked live.",
        ":material/functions:",
    ),
    (
        "train",
        "Training lab",
        "Step a network and watch ∂L/∂W2, the curves and the decision boundary change.",
        ":material/model_training:",
    ),
    (
        "compare",
        "Head to head",
        "Sigmoid-1 against softmax-2, cross-entropy against MSE, trained in lockstep.",
        ":material/compare_arrows:",
    ),
)


@st.cache_data(show_spinner="Training the network in the picture…")
def story_snapshot(steps: int = STORY_STEPS) -> Snapshot:
    """The default network after `steps` SGD steps (deterministic, so cached for everyone)."""
    return snapshot(DEFAULTS, steps)


def story_caption(snap: Snapshot) -> str:
    H = snap.hidden.shape[1]
    return (
        f"Real numbers: 10 × 10 images → {H} ReLU units → 2-way softmax, after {snap.steps} "
        f"SGD steps (test accuracy {snap.test_accuracy:.1%}). Three test images: the surest "
        "hit, the surest “no object”, and the image the network gets most wrong. Red arrows: "
        "the gradient flowing back from the label. Hover any cell for its value."
    )


def ways_in() -> None:
    """One column per way into the app: a link and a line about it."""
    for column, (path, label, blurb, icon) in zip(st.columns(len(WAYS_IN)), WAYS_IN, strict=True):
        with column.container(border=True, height="stretch"):
            lab_link(path, f"**{label}**", icon=icon)
            st.caption(blurb)


def render() -> None:
    """The landing page."""
    settings = apply_presentation(query_settings())
    write_query(settings)
    st.title("How one yes/no label trains a network")
    st.markdown(STORY)
    snap = story_snapshot()
    chart(story_figure(snap), "story")
    st.caption(story_caption(snap))
    ways_in()
    share_panel(settings, "", expanded=True)
