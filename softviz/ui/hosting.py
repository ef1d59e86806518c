"""Which server process answered: shown when the app runs as several replicas behind nginx."""

from __future__ import annotations

import os
import re

import streamlit as st

REPLICA_ENV = "SOFTVIZ_REPLICA"


def replica_name() -> str | None:
    """The replica's name from $SOFTVIZ_REPLICA (letters, digits, - and _ only), or None."""
    name = os.environ.get(REPLICA_ENV, "")
    return name if re.fullmatch(r"[A-Za-z0-9_-]{1,32}", name) else None


def replica_caption() -> None:
    """A small sidebar note naming this replica, so a session's server can be told apart."""
    name = replica_name()
    if name is not None:
        st.sidebar.caption(f"Served by replica {name}")
