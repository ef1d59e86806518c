"""The app's pages, one st.Page each, with their URL paths (the UI contract)."""

from __future__ import annotations

import streamlit as st

from softviz.ui import compare, heads, home, train

HOME = st.Page(home.render, title="Start", icon=":material/home:", default=True)
HEADS = st.Page(heads.render, title="Heads lab", icon=":material/functions:", url_path="heads")
TRAIN = st.Page(
    train.render, title="Training lab", icon=":material/model_training:", url_path="train"
)
COMPARE = st.Page(
    compare.render, title="Head to head", icon=":material/compare_arrows:", url_path="compare"
)

ALL = [HOME, HEADS, TRAIN, COMPARE]
