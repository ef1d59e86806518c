"""Pieces every page shares: settings from and to the URL, warnings, chart display."""

from __future__ import annotations

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


def write_query(settings: Settings, **extra: str) -> None:
    """Put the settings that differ from the defaults (and page-owned keys) into the URL."""
    wanted = to_query(settings) | {key: value for key, value in extra.items() if value}
    if dict(st.query_params.to_dict()) != wanted:
        st.query_params.from_dict(wanted)


def chart(fig: go.Figure, key: str) -> None:
    """Show a Plotly figure at the column's width, with a stable key (enlarged for a projector
    in presentation mode)."""
    st.plotly_chart(
        presentation.styled(fig), width="stretch", key=key, config={"displaylogo": False}
    )
