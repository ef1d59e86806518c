"""Pieces every page shares: settings from and to the URL, warnings, chart display."""

from __future__ import annotations

from collections.abc import Callable

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


WRITTEN_KEY = "softviz_written_queries"  # st.session_state: the queries this session wrote
WRITTEN_REMEMBERED = 64
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
    written = st.session_state.setdefault(WRITTEN_KEY, [])
    if wanted not in written:
        written.append(wanted)
        del written[:-WRITTEN_REMEMBERED]
    if dict(st.query_params.to_dict()) != wanted:
        st.query_params.from_dict(wanted)


def query_is_ours() -> bool:
    """Whether the URL holds a query this session wrote itself, not a new one to apply.

    A rerun's request carries the address bar as the browser had it, which lags behind our
    last write when the user acts quickly on a busy server: such a URL is stale, and applying
    it would undo the newer choice.
    """
    return st.query_params.to_dict() in st.session_state.get(WRITTEN_KEY, [])


def forget_written_queries() -> None:
    """Make the next URL count as new even if this session wrote it once (a settings file
    restores an older view)."""
    st.session_state.pop(WRITTEN_KEY, None)


def chart(fig: go.Figure, key: str) -> None:
    """Show a Plotly figure at the column's width, with a stable key (enlarged for a projector
    in presentation mode)."""
    st.plotly_chart(
        presentation.styled(fig), width="stretch", key=key, config={"displaylogo": False}
    )
