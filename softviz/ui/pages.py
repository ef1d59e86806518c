"""The app's pages and their URL paths (the UI contract).

st.Page objects carry per-run state (st.navigation marks the one page that may run, and its
.run() clears the mark), so one object shared by every visitor lets two sessions that run at
the same moment trip over each other: "This page cannot be called directly". The pages are
therefore described by immutable specs here and built afresh for every run and every link.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from softviz.ui import compare, heads, home, tour, train

# Everything imported by now (Streamlit, NumPy, Plotly, our pages) lives as long as the
# process. Moving it out of the cycle collector's sight keeps Streamlit's full collection
# after every run (runner.postScriptGC) cheap: walking these objects took about half the
# server's time per Play frame. This module is imported once per process, so this runs once.
gc.freeze()


@dataclass(frozen=True)
class PageSpec:
    """One page: the function that draws it, its title and icon, and its URL path."""

    render: Callable[[], None]
    title: str
    icon: str
    url_path: str  # "" for the landing page at /


SPECS = (
    PageSpec(home.render, "Start", ":material/home:", ""),
    PageSpec(tour.render, "Tour", ":material/school:", "tour"),
    PageSpec(heads.render, "Heads lab", ":material/functions:", "heads"),
    PageSpec(train.render, "Training lab", ":material/model_training:", "train"),
    PageSpec(compare.render, "Head to head", ":material/compare_arrows:", "compare"),
)
PATHS = frozenset(spec.url_path for spec in SPECS)


def build(spec: PageSpec) -> StreamlitPage:
    """A new st.Page for spec (never cache it: see the module docstring)."""
    if not spec.url_path:
        return st.Page(spec.render, title=spec.title, icon=spec.icon, default=True)
    return st.Page(spec.render, title=spec.title, icon=spec.icon, url_path=spec.url_path)


def all_pages() -> list[StreamlitPage]:
    """Every page, newly built, for st.navigation in this run."""
    return [build(spec) for spec in SPECS]


def page_for(path: str) -> StreamlitPage | None:
    """A newly built page for a URL path ("train", "" for /), or None if the app has none."""
    return next((build(spec) for spec in SPECS if spec.url_path == path), None)
