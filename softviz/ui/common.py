"""Pieces every page shares: settings from and to the URL, warnings, chart display."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from softviz.settings import Settings, from_query, to_query
from softviz.ui import presentation


def query_settings() -> Settings:
    """Settings from the URL's query parameters; anything unusable is reported once per page."""
    raw = {key: st.query_params.get_all(key) for key in st.query_params}
    settings, warnings = from_query(raw)
    for message in warnings:
        st.warning(message, icon="⚠️")
    return settings


OURS_KEY = "softviz_our_queries"  # st.session_state: queries this session wrote or applied
OURS_REMEMBERED = 64
PAGE_KEY = "softviz_page"  # st.session_state: the URL path of the last page run to the end
PAGE_QUERIES_KEY = "softviz_page_queries"  # st.session_state: URL path -> its last query


def run_page(url_path: str, render: Callable[[], None]) -> None:
    """Run the page at `url_path`; a session coming back to it by a link without a query (the
    sidebar's, the landing page's) gets back the query the page last had.

    Streamlit forgets a page's widgets while the session is on another page, and the page's
    query says everything they showed: restored, the page reads it as it reads any link, so
    a visit elsewhere neither restarts training nor loses a choice.
    """
    queries = st.session_state.setdefault(PAGE_QUERIES_KEY, {})
    current = st.query_params.to_dict()
    entering = st.session_state.get(PAGE_KEY) != url_path
    if entering and not current.keys() - {"present"} and queries.get(url_path):
        kept = {key: value for key, value in queries[url_path].items() if key != "present"}
        st.query_params.from_dict(kept | current)  # the mode now in use wins over the old one
    render()
    queries[url_path] = st.query_params.to_dict()
    st.session_state[PAGE_KEY] = url_path


def write_query(settings: Settings, **extra: str) -> None:
    """Put the settings that differ from the defaults (and page-owned keys) into the URL."""
    wanted = to_query(settings) | {key: value for key, value in extra.items() if value}
    remember_query(wanted)
    if dict(st.query_params.to_dict()) != wanted:
        st.query_params.from_dict(wanted)


def remember_query(query: dict[str, str]) -> None:
    """Note a query this session has written or applied, so that it is never applied again."""
    ours = st.session_state.setdefault(OURS_KEY, [])
    if query not in ours:
        ours.append(query)
        del ours[:-OURS_REMEMBERED]


def query_is_ours() -> bool:
    """Whether the URL holds a query this session wrote or already applied, not a new one.

    A rerun's request carries the address bar as the browser had it, which lags behind our
    last write when the user acts quickly on a busy server: such a URL is stale, and applying
    it would undo the newer choice.
    """
    return st.query_params.to_dict() in st.session_state.get(OURS_KEY, [])


def forget_our_queries() -> None:
    """Make the next URL count as new even if this session had it once (a settings file
    restores an older view)."""
    st.session_state.pop(OURS_KEY, None)


def as_default(widget_key: str) -> Any:
    """A keyed widget's current value, to be passed as its default (value=, index=) as well.

    A browser can redraw a widget from scratch (a busy server that interrupts a run makes it
    drop and re-create the widgets it had drawn); it then shows and sends back the widget's
    default, which without one is the lowest value or the first option: in the 30-session
    load test every setting of /train fell to its minimum and training restarted.
    """
    return st.session_state[widget_key]


def chart(fig: go.Figure, key: str) -> None:
    """Show a Plotly figure at the column's width, with a stable key (enlarged for a projector
    in presentation mode)."""
    st.plotly_chart(
        presentation.styled(fig), width="stretch", key=key, config={"displaylogo": False}
    )
