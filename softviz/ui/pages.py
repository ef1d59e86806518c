"""The app's pages, one st.Page each, with their URL paths (the UI contract)."""

from __future__ import annotations

import streamlit as st

from softviz.ui import home, tour, train

HOME = st.Page(home.render, title="Start", icon=":material/home:", default=True)
TOUR = st.Page(tour.render, title="Tour", icon=":material/school:", url_path="tour")
TRAIN = st.Page(
    train.render, title="Training lab", icon=":material/model_training:", url_path="train"
)

ALL = [HOME, TOUR, TRAIN]
# URL path ("" for the landing page) → page, for links that are built from a path.
BY_PATH = {page.url_path: page for page in ALL}
