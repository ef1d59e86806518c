"""Presentation mode for a classroom projector: `present=1` in the URL, or the toggle.

Every page calls `apply_presentation(settings)` right after reading its settings. In
presentation mode the page gets larger type, thicker lines, high contrast, no sidebar and
no Streamlit chrome; `style_figure` (called by ui.common.chart) enlarges every Plotly figure
to match. The mode sticks for the session while you move between pages, and the page
writes it back to the URL (`present=1`), so a link opens the view the way the class saw it.
"""

from __future__ import annotations

from dataclasses import replace

import plotly.graph_objects as go
import streamlit as st

from softviz.settings import Settings

MODE_KEY = "softviz_present"  # st.session_state: this session's mode (survives pages
# that draw no toggle, unlike a widget's own state, which Streamlit drops when unrendered)
TOGGLE_KEY = "present_toggle"
_SEEN_KEY = "softviz_present_seen"  # the URL value last applied

# Our own constant CSS, never built from user input. Streamlit sizes text in rem, so the
# root font size scales everything: 20 px on a 1280-wide projector, 27 px at 1920.
PRESENTATION_CSS = """
<style>
html { font-size: clamp(20px, 1.4vw, 28px); }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"], footer { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1.2rem 2.5rem 1rem 2.5rem; max-width: 100%; }
[data-testid="stApp"], [data-testid="stMarkdownContainer"] { color: #000000; }
h1 { font-size: 2.3rem !important; font-weight: 800 !important; }
h2, h3 { font-weight: 750 !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { line-height: 1.45; }
button, [data-testid="stPageLink"] a { border-width: 2px !important; }
[data-testid="stMetricValue"] { font-size: 2.6rem !important; font-weight: 800; }
[data-testid="stMetricLabel"] p, button p, [data-testid="stCaptionContainer"] {
  font-size: 1rem !important;
}
[data-testid="stCaptionContainer"] { color: #1f2937 !important; }
a { text-decoration-thickness: 2px; }
</style>
"""
FONT_SIZE = 18  # Plotly figures in presentation mode: axis, legend and hover text
CELL_TEXT_SIZE = 17  # values printed inside heatmap cells and on bars (cells can be narrow)
TITLE_SIZE = 24
MARGIN_SCALE = 1.5
INK = "#000000"  # room for the larger titles and tick labels
MIN_LINE_WIDTH = 4.0
MIN_MARKER_SIZE = 11
HEIGHT_SCALE = 1.3
MAX_HEIGHT = 600  # a chart plus its heading still fits a 1280 × 720 projector
PICTURE_ZOOM = 1.5  # Play's SVG pictures: text 12 → 18 px, like FONT_SIZE


def is_on() -> bool:
    """Whether this session is in presentation mode (as last set by apply_presentation)."""
    return bool(st.session_state.get(MODE_KEY, False))


def apply_presentation(settings: Settings) -> Settings:
    """Draw the presentation toggle, style the page when it is on, and return the settings
    with `present` as the toggle says (so the page's write_query puts it in the URL).

    An explicit `present=` in the URL wins when it changes; without one, the session's mode
    carries over from the previous page.
    """
    _sync_from_url(settings)
    st.session_state[TOGGLE_KEY] = on = is_on()
    with st.container() if on else st.sidebar:
        st.toggle(
            "Presentation mode",
            key=TOGGLE_KEY,
            on_change=_toggled,
            help="Large type and thick lines for a projector; hides the sidebar. "
            "Same as present=1 in the address bar.",
        )
    st.session_state[_SEEN_KEY] = on
    _write_url(on)
    if on:
        st.html(PRESENTATION_CSS)
    return replace(settings, present=on)


def _write_url(on: bool) -> None:
    """Keep `present` in the address bar in step with the mode, even on a page that writes
    no other settings back."""
    if on and st.query_params.get("present") != "1":
        st.query_params["present"] = "1"
    elif not on and "present" in st.query_params:
        del st.query_params["present"]


def _toggled() -> None:
    st.session_state[MODE_KEY] = st.session_state[TOGGLE_KEY]


def _sync_from_url(settings: Settings) -> None:
    """Take `present` from the URL when it says something new (a link was opened)."""
    if "present" in st.query_params and st.session_state.get(_SEEN_KEY) != settings.present:
        st.session_state[MODE_KEY] = settings.present


def link_query(query: dict[str, str]) -> dict[str, str]:
    """Query parameters for a link to another page: presentation mode travels with it."""
    return query | {"present": "1"} if is_on() else dict(query)


def styled(fig: go.Figure) -> go.Figure:
    """fig as this session should see it: style_figure in presentation mode, else unchanged."""
    return style_figure(fig) if is_on() else fig


def style_figure(fig: go.Figure) -> go.Figure:
    """fig for a projector: larger text, thicker lines, bigger markers, taller.

    Changes fig in place and returns it: every figure in this app is built afresh for the one
    chart that shows it (copying would cost a validation pass over large figures during Play).
    """
    fig.update_layout(font={"size": FONT_SIZE}, hoverlabel={"font": {"size": FONT_SIZE}})
    fig.update_layout(title_font_size=TITLE_SIZE, legend_font_size=FONT_SIZE)
    # Set per axis too: Streamlit's chart theme would otherwise keep its small grey labels.
    axis_text = {"size": FONT_SIZE, "color": INK}
    fig.update_xaxes(tickfont=axis_text, title_font=axis_text)
    fig.update_yaxes(tickfont=axis_text, title_font=axis_text)
    for trace in fig.data:
        _thicken(trace)
    for note in fig.layout.annotations:
        note.font.size = round((note.font.size or 12) * 1.4)
        note.font.color = note.font.color or INK  # subplot titles: black, not theme grey
        if note.arrowwidth:
            note.arrowwidth = note.arrowwidth * 1.6
    height = fig.layout.height or 450
    fig.update_layout(height=min(round(height * HEIGHT_SCALE), max(MAX_HEIGHT, height)))
    if fig.layout.margin.t is not None:
        fig.update_layout(margin_t=round(fig.layout.margin.t * MARGIN_SCALE))
    return fig


def _thicken(trace) -> None:
    """Lines at least MIN_LINE_WIDTH, markers at least MIN_MARKER_SIZE, cell text larger."""
    if trace.type in ("scatter", "scattergl"):
        if trace.line is not None:
            trace.line.width = max((trace.line.width or 2) * 1.6, MIN_LINE_WIDTH)
        size = trace.marker.size if trace.marker is not None else None
        if "markers" in (trace.mode or "") and (size is None or isinstance(size, int | float)):
            trace.marker.size = max((size or 6) * 1.4, MIN_MARKER_SIZE)
    if trace.type in ("heatmap", "bar"):
        trace.textfont.size = CELL_TEXT_SIZE
