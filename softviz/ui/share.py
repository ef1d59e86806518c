"""Share and save: a copyable link to the current view, the settings as a JSON file (down and
back up), and downloads of a training run's history and weights.

    share_panel(settings, "tour", step="3")   # sidebar: link, settings download, upload
    trainer_downloads(trainer)                # history CSV, weights NPZ and JSON
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import streamlit as st

from softviz.export import history_csv, weights_json, weights_npz
from softviz.settings import (
    MAX_JSON_BYTES,
    Settings,
    SettingsFileError,
    from_json,
    page_of_json,
    to_json,
    to_query,
)
from softviz.training import Trainer

UPLOAD_KEY = "settings_upload"
_NOTES_KEY = "softviz_load_notes"  # (kind, message) pairs to show after a settings file loads
_SWITCH_KEY = "softviz_load_switch"  # (page, query) to open after a file from another page


def view_query(settings: Settings, **extra: str) -> dict[str, str]:
    """The query parameters of a view: the settings that differ from the defaults, plus
    page-owned keys (such as the tour's step) that are not empty."""
    return to_query(settings) | {key: value for key, value in extra.items() if value}


def view_url(query: dict[str, str]) -> str:
    """The address of this page with the given query; root-relative if the browser's URL is
    unknown (as in tests)."""
    base = st.context.url or ""
    return base + (f"?{urlencode(query)}" if query else "")


def share_panel(settings: Settings, page: str, **extra: str) -> None:
    """A sidebar section with the link to this view, a settings download and a settings upload.

    page is this page's URL path ("" for the landing page); extra are page-owned query keys.
    """
    _open_pending_switch()
    query = view_query(settings, **extra)
    with st.sidebar.expander("Share and save", icon=":material/share:", expanded=True):
        st.caption("Link to exactly this view — copy it with the button at its right:")
        st.code(view_url(query), language=None, wrap_lines=True)
        st.download_button(
            "Settings (JSON)",
            to_json(settings, page),
            file_name=f"softviz-{page or 'start'}-settings.json",
            mime="application/json",
            on_click="ignore",
            icon=":material/download:",
            key="download_settings",
        )
        st.file_uploader(
            "Load settings (JSON)",
            type=["json"],
            key=UPLOAD_KEY,
            on_change=_load_upload,
            args=(page,),
            max_upload_size=1,
            help="A settings file saved from any softviz page; it restores that view.",
        )
    _show_notes()


def read_settings_file(data: bytes) -> tuple[Settings | None, str | None, list[str]]:
    """(settings, page, warnings) from an uploaded file's bytes, or (None, None, [reason])."""
    if len(data) > MAX_JSON_BYTES:
        kib = len(data) / 1024
        return None, None, [f"That file is {kib:.0f} KiB; a settings file is under 20 KiB."]
    try:
        settings, warnings = from_json(data)
        return settings, page_of_json(data), warnings
    except SettingsFileError as err:
        return None, None, [str(err)]


def _load_upload(page: str) -> None:
    """on_change of the uploader: put the file's settings into the URL, or explain why not."""
    upload = st.session_state.get(UPLOAD_KEY)
    if upload is None:
        return
    settings, saved_from, messages = read_settings_file(upload.getvalue())
    if settings is None:
        st.session_state[_NOTES_KEY] = [("error", f"Could not load that file: {messages[0]}")]
        return
    query = view_query(settings)
    notes = [("success", "Settings loaded: the view below is the one the file describes.")]
    st.session_state[_NOTES_KEY] = notes + [("warning", m) for m in messages]
    if saved_from is not None and saved_from != page:
        st.session_state[_SWITCH_KEY] = (saved_from, query)
    st.query_params.from_dict(query)


def _open_pending_switch() -> None:
    """After loading a file saved on another page, go there (if that page exists here)."""
    pending = st.session_state.pop(_SWITCH_KEY, None)
    if pending is None:
        return
    from softviz.ui import pages  # pages imports the page modules that import this one

    target = pages.page_for(pending[0])
    if target is not None:
        st.switch_page(target, query_params=pending[1])


def _show_notes() -> None:
    for kind, message in st.session_state.pop(_NOTES_KEY, []):
        getattr(st, kind)(message)


def trainer_downloads(trainer: Trainer, key: str = "train") -> None:
    """Download buttons for a run's history (CSV) and current weights (NPZ and JSON).

    The files are built only when clicked, from the run as it is at that moment (the files
    record the step count), so drawing the buttons costs nothing during Play.
    """
    name = f"softviz-{trainer.settings.dataset}"
    for column, (label, make, suffix, mime) in zip(
        st.columns(3), _trainer_files(trainer), strict=True
    ):
        column.download_button(
            label,
            make,
            file_name=f"{name}-{suffix}",
            mime=mime,
            on_click="ignore",
            icon=":material/download:",
            key=f"{key}_{suffix}",
        )


def _trainer_files(trainer: Trainer) -> list[tuple[str, Callable[[], str | bytes], str, str]]:
    """(label, builder, file name suffix, MIME type) of every file a run can be saved as."""

    def weights_as(write: Callable[..., str | bytes]) -> Callable[[], str | bytes]:
        return lambda: write(trainer.net.params, trainer.settings, trainer.steps)

    return [
        (
            "History (CSV)",
            lambda: history_csv(trainer.history.as_dict()),
            "history.csv",
            "text/csv",
        ),
        ("Weights (NPZ)", weights_as(weights_npz), "weights.npz", "application/octet-stream"),
        ("Weights (JSON)", weights_as(weights_json), "weights.json", "application/json"),
    ]
