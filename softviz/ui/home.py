"""/ — the landing page: the story in three sentences and the ways in."""

from __future__ import annotations

import streamlit as st

STORY = (
    "Your label is one bit: does the image contain the object? A classifier turns its logits "
    "into probabilities with a sigmoid or a softmax, and training sends the error back the "
    "other way. softviz trains a tiny network in front of you and draws every number on that "
    "way back: the probabilities, the Jacobian ∂p/∂z, ∂L/∂z = p − y, and the gradient that "
    "lands on each weight."
)


def render() -> None:
    """The landing page."""
    from softviz.ui import pages  # pages imports this module to build the navigation

    st.title("How one yes/no label trains a network")
    st.write(STORY)
    st.page_link(pages.HEADS, label="Heads lab: sigmoid vs softmax, their Jacobians, live")
    st.page_link(pages.TRAIN, label="Training lab: step a network and watch the gradients")
    st.page_link(pages.COMPARE, label="Head to head: two heads trained in lockstep, and a race")
