"""Share and save: a copyable link to the current view, the settings as a JSON file (down and
back up), and downloads of a training run's history and weights.

    share_panel(settings, "tour", step="3")   # sidebar: link, settings download, upload
    trainer_downloads(trainer)                # history CSV, weights NPZ and JSON
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import streamlit as st

from softviz.export import history_csv, weights_json, weights_npz
from softviz.settings import (
    MAX_JSON_BYTES,
    Settings,
    SettingsFileError,
    from_json,
    page_of_json,
    page_query_of_json,
    to_json,
    to_query,
)
from softviz.training import Trainer
from softviz.ui.common import forget_our_queries

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
    return base + (f"?{urlencode(query, safe=',')}" if query else "")


def share_panel(
    settings: Settings,
    page: str,
    trainer: Trainer | None = None,
    expanded: bool = False,
    **extra: str,
) -> None:
    """A sidebar section with the link to this view, a settings download and a settings upload
    (and, given a training run, downloads of its history and weights).

    page is this page's URL path ("" for the landing page); extra are page-owned query keys.
    Collapsed unless expanded: under a lab's controls it should not push them away.
    """
    _open_pending_switch()
    query = view_query(settings, **extra)
    with st.sidebar.expander("Share and save", icon=":material/share:", expanded=expanded):
        st.caption("Link to exactly this view — copy it with the button at its right:")
        st.code(view_url(query), language=None, wrap_lines=True)
        st.download_button(
            "Settings (JSON)",
            to_json(settings, page, {key: value for key, value in extra.items() if value}),
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
        if trainer is not None:
            st.caption("This training run as it is now:")
            trainer_downloads(trainer, columns=False)
    _show_notes()


@dataclass(frozen=True)
class SettingsFile:
    """What an uploaded settings file restores: settings (None if the file is unusable), the
    page it was saved on, that page's own query keys, and messages (the reason, or warnings)."""

    settings: Settings | None
    page: str | None = None
    page_query: dict[str, str] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)


def read_settings_file(data: bytes) -> SettingsFile:
    """Everything a settings file's bytes restore, or why they restore nothing."""
    if len(data) > MAX_JSON_BYTES:
        kib = len(data) / 1024
        reason = f"That file is {kib:.0f} KiB; a settings file is under 20 KiB."
        return SettingsFile(None, messages=[reason])
    try:
        settings, warnings = from_json(data)
        page_query, more = page_query_of_json(data)
        return SettingsFile(settings, page_of_json(data), page_query, warnings + more)
    except SettingsFileError as err:
        return SettingsFile(None, messages=[str(err)])


def _load_upload(page: str) -> None:
    """on_change of the uploader: put the file's settings into the URL, or explain why not."""
    upload = st.session_state.get(UPLOAD_KEY)
    if upload is None:
        return
    loaded = read_settings_file(upload.getvalue())
    if loaded.settings is None:
        reason = loaded.messages[0]
        st.session_state[_NOTES_KEY] = [("error", f"Could not load that file: {reason}")]
        return
    query = view_query(loaded.settings, **loaded.page_query)
    notes = [("success", "Settings loaded: the view below is the one the file describes.")]
    st.session_state[_NOTES_KEY] = notes + [("warning", m) for m in loaded.messages]
    if loaded.page is not None and loaded.page != page:
        st.session_state[_SWITCH_KEY] = (loaded.page, query)
    forget_our_queries()
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


def trainer_downloads(trainer: Trainer, key: str = "train", columns: bool = True) -> None:
    """Download buttons for a run's history (CSV) and current weights (NPZ and JSON), side by
    side or (columns=False, for the sidebar) one under another.

    The files are built only when clicked, from the run as it is at that moment (the files
    record the step count), so drawing the buttons costs nothing during Play.
    """
    name = f"softviz-{trainer.settings.dataset}"
    files = _trainer_files(trainer)
    places = st.columns(len(files)) if columns else [st.container() for _ in files]
    for column, (label, make, suffix, mime) in zip(places, files, strict=True):
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
