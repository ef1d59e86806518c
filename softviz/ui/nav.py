"""Links between pages that carry preset query parameters (and presentation mode along)."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import streamlit as st

from softviz.ui import presentation


def lab_link(path: str, label: str, query: dict[str, str] | None = None, icon: str | None = None):
    """A link to the page at URL path `path` ("train", "heads", …) with preset query parameters.

    A page registered in this app opens in place (st.page_link, same session); a path this
    build does not register is linked by its full address instead (it opens in a new tab).
    """
    from softviz.ui import pages  # pages imports the page modules that import this one

    query = presentation.link_query(dict(query or {}))
    target = pages.page_for(path)
    if target is not None:
        st.page_link(target, label=label, icon=icon, query_params=query or None)
        return
    href = f"/{path}" + (f"?{urlencode(query)}" if query else "")
    origin = _origin()
    if origin:
        st.page_link(origin + href, label=label, icon=icon)
    else:
        st.markdown(f"[{_escape(label)}]({href})")


def _origin() -> str:
    """scheme://host:port of the address the browser is on, or "" when unknown (tests)."""
    parts = urlsplit(st.context.url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _escape(label: str) -> str:
    """Our own labels, with the characters Markdown link text treats specially escaped."""
    return label.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
