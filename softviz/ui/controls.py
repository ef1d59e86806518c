"""The sidebar: every setting as a widget, seeded from the URL, returning one Settings.

    settings = settings_ui(url_settings(), key="ctl")              # the full training lab
    settings = settings_ui(base, fields=("dataset", "lr"), key="cmp")   # a subset, elsewhere

Widgets are keyed f"{key}_{field}" and seeded from the URL's settings on a session's first run
(or when the URL changes under us); from then on the widgets are the truth and the page writes
them back with softviz.ui.common.write_query. Streamlit forgets a page's widgets while the
session is on another page: on return (softviz.ui.common.run_page brings the URL back) they
are seeded again. The user's own CSV is per-session data: the uploaded file is parsed here
and kept in st.session_state, never in the URL.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import streamlit as st

from softviz import csvdata
from softviz.activations import ACTIVATIONS
from softviz.datasets import DATASETS
from softviz.settings import BOUNDS, Settings, from_query
from softviz.ui.common import as_default, query_is_ours

DATA_FIELDS = ("dataset", "noise", "n", "test", "seed", "draw")
MODEL_FIELDS = ("hidden", "activation", "head", "k", "loss", "temperature", "init")
OPTIMISER_FIELDS = ("lr", "batch", "momentum", "decay")
PLAY_FIELDS = ("speed",)
ALL_FIELDS = DATA_FIELDS + MODEL_FIELDS + OPTIMISER_FIELDS + PLAY_FIELDS
CSV = "csv"
DATASET_NAMES = {
    "object": "object in image (10×10)",
    "xor": "XOR",
    "circles": "circles",
    "gaussians": "two Gaussians",
    "spiral": "spiral",
    "moons": "moons",
    CSV: "your own CSV",
}
LOSS_NAMES = {"ce": "cross-entropy", "mse": "mean squared error"}
EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
EXAMPLES = ("exam_scores.csv", "parcel_scanner.csv")
CSV_LINK_NOTE = (
    "This link asked for an uploaded CSV dataset. An upload lives only in the browser session "
    "that made it, so a link cannot carry it: showing the default dataset instead. Choose "
    "“your own CSV” under Data to upload the file again."
)


def url_settings(key: str = "ctl") -> Settings:
    """Settings from the URL, warnings shown. dataset=csv is kept only in the session that
    chose it; a fresh session opening such a link falls back to the default, with a note."""
    raw = {name: st.query_params.get_all(name) for name in st.query_params}
    wants_csv = bool(raw.get("dataset")) and raw["dataset"][-1] == CSV
    if wants_csv:
        raw.pop("dataset")
    settings, warnings = from_query(raw)
    for message in warnings:
        st.warning(message, icon="⚠️")
    if wants_csv:
        shown_before = st.session_state.get(f"{key}_shown")
        if shown_before is not None and shown_before.dataset == CSV:
            return replace(settings, dataset=CSV)
        st.info(CSV_LINK_NOTE, icon="ℹ️")
    return settings


def _seed(base: Settings, fields: Sequence[str], key: str) -> None:
    """Put the URL's values into the widgets on the first run, or when the URL changed; give
    a widget Streamlit forgot (the session was on another page) back the value it showed."""
    url_changed = st.session_state.get(f"{key}_shown") != base and not query_is_ours()
    for name in fields:
        widget = _w(key, name)
        if url_changed or widget not in st.session_state:
            st.session_state[widget] = getattr(base, name)


def settings_ui(
    base: Settings, fields: Sequence[str] = ALL_FIELDS, key: str = "ctl", csv: bool = False
) -> Settings:
    """Draw the sidebar widgets for `fields` (others keep base's values) and return Settings.

    csv=True offers "your own CSV" among the datasets (then call csv_ui for the upload).
    """
    _seed(base, fields, key)
    values = {}
    with st.sidebar:
        for title, group in SECTIONS:
            chosen = [name for name in group if name in fields]
            if chosen:
                st.subheader(title)
            for name in chosen:
                values[name] = WIDGETS[name](key, csv)
            if csv and title == "Data" and values.get("dataset") == CSV:
                choice = csv_ui(key, replace(base, **values), values.get("seed", base.seed))
                st.session_state[_w(key, "csv_choice")] = choice
    settings = replace(base, **values)
    st.session_state[f"{key}_shown"] = settings
    return settings


def _w(key: str, name: str) -> str:
    return f"{key}_{name}"


def _now(key: str, name: str):
    """The widget's current value, passed as its default too (see common.as_default)."""
    return as_default(_w(key, name))


def _round(value: float) -> float:
    # Widgets return binary fractions such as 0.30000000000000004; the URL wants 0.3.
    return float(f"{value:.6g}")


def _whole(key: str, name: str, label: str, step: int, **extra) -> int:
    """A whole-number input bounded by BOUNDS[name], keyed for this sidebar."""
    low, high = map(int, BOUNDS[name])
    value = int(_now(key, name))
    return int(st.number_input(label, low, high, value, step=step, key=_w(key, name), **extra))


def _real(key: str, name: str, label: str, step: float, **extra) -> float:
    """A real-number input bounded by BOUNDS[name], shown without trailing zeros."""
    low, high = BOUNDS[name]
    value = float(_now(key, name))
    value = st.number_input(label, low, high, value, step, format="%g", key=_w(key, name), **extra)
    return _round(value)


def _dataset(key: str, csv: bool) -> str:
    options = DATASETS + ((CSV,) if csv else ())
    if st.session_state.get(_w(key, "dataset")) not in options:
        st.session_state[_w(key, "dataset")] = DATASETS[0]
    return st.selectbox(
        "Dataset",
        options,
        index=options.index(_now(key, "dataset")),
        key=_w(key, "dataset"),
        format_func=DATASET_NAMES.get,
        help="Generated from the seed, or your own CSV file (features and a label column).",
    )


def _is_csv(key: str) -> bool:
    return st.session_state.get(_w(key, "dataset")) == CSV


def _noise(key: str, csv: bool) -> float:
    value = st.slider(
        "Noise",
        *BOUNDS["noise"],
        float(_now(key, "noise")),
        step=0.01,
        key=_w(key, "noise"),
        disabled=_is_csv(key),
        help="Std of the noise added to every example.",
    )
    return _round(value)


def _n(key: str, csv: bool) -> int:
    return _whole(key, "n", "Number of examples", 100, disabled=_is_csv(key),
                  help="Train and test together.")  # fmt: skip


def _test(key: str, csv: bool) -> float:
    value = st.slider(
        "Test fraction",
        *BOUNDS["test"],
        float(_now(key, "test")),
        step=0.05,
        key=_w(key, "test"),
        help="Share of the examples held out to measure test loss and accuracy.",
    )
    return _round(value)


def _seed_widget(key: str, csv: bool) -> int:
    return _whole(key, "seed", "Seed", 1,
                  help="Seeds the data, the initial weights and the batches.")  # fmt: skip


def _new_data(key: str) -> None:
    st.session_state[_w(key, "draw")] = min(
        st.session_state.get(_w(key, "draw"), 0) + 1, int(BOUNDS["draw"][1])
    )


def _draw(key: str, csv: bool) -> int:
    left, right = st.columns([1, 1], vertical_alignment="center")
    left.button(
        "New data",
        key=_w(key, "new_data"),
        on_click=_new_data,
        args=(key,),
        disabled=_is_csv(key),
        help="Draw another sample; the initial weights stay.",
    )
    draw = int(st.session_state.get(_w(key, "draw"), 0))
    right.caption(f"sample #{draw}" if draw else "the seed's own sample")
    return draw


def _hidden(key: str, csv: bool) -> int:
    low, high = map(int, BOUNDS["hidden"])
    return int(
        st.slider(
            "Hidden units",
            low,
            high,
            int(_now(key, "hidden")),
            step=1,
            key=_w(key, "hidden"),
            help="0 = no hidden layer: the output layer sees the input.",
        )
    )


def _activation(key: str, csv: bool) -> str:
    options = tuple(ACTIVATIONS)
    return st.selectbox(
        "Activation φ", options, options.index(_now(key, "activation")), key=_w(key, "activation")
    )


def _fix_k(key: str) -> None:
    # A softmax over one output is always 1: switching to softmax lifts K to 2 first.
    if (
        st.session_state.get(_w(key, "head")) == "softmax"
        and st.session_state.get(_w(key, "k"), 2) < 2
    ):
        st.session_state[_w(key, "k")] = 2


def _head(key: str, csv: bool) -> str:
    options = ("softmax", "sigmoid")
    return st.radio(
        "Head",
        options,
        options.index(_now(key, "head")),
        key=_w(key, "head"),
        horizontal=True,
        on_change=_fix_k,
        args=(key,),
    )


def _k(key: str, csv: bool) -> int:
    low = 2 if st.session_state.get(_w(key, "head")) == "softmax" else 1
    _fix_k(key)
    return int(
        st.number_input(
            "Outputs K",
            low,
            int(BOUNDS["k"][1]),
            int(_now(key, "k")),
            step=1,
            key=_w(key, "k"),
            help="Softmax needs K ≥ 2. A binary label becomes one-hot (1 − t, t) for K = 2, "
            "or t itself for one sigmoid output.",
        )
    )


def _loss(key: str, csv: bool) -> str:
    options = tuple(LOSS_NAMES)
    index = options.index(_now(key, "loss"))
    return st.selectbox("Loss", options, index, key=_w(key, "loss"), format_func=LOSS_NAMES.get)


def _temperature(key: str, csv: bool) -> float:
    return _real(key, "temperature", "Temperature T", 0.1, help="p = head(z / T).")


def _init(key: str, csv: bool) -> float:
    return _real(key, "init", "Initial weight scale", 0.1,
                 help="Weights start as N(0, (scale·gain)² / fan_in); 0 starts every weight "
                 "at zero.")  # fmt: skip


def _lr(key: str, csv: bool) -> float:
    return _real(key, "lr", "Learning rate η", 0.01)


def _batch(key: str, csv: bool) -> int:
    return _whole(key, "batch", "Batch size", 16, help="0 = the full training set every step.")


def _momentum(key: str, csv: bool) -> float:
    value = float(_now(key, "momentum"))
    return _round(
        st.slider("Momentum μ", *BOUNDS["momentum"], value, 0.01, key=_w(key, "momentum"))
    )


def _decay(key: str, csv: bool) -> float:
    return _real(key, "decay", "L2 weight decay λ", 0.001,
                 help="Adds λ·W to every weight's gradient.")  # fmt: skip


def _speed(key: str, csv: bool) -> int:
    low, high = map(int, BOUNDS["speed"])
    return int(
        st.slider(
            "Steps per frame (Play)",
            low,
            high,
            int(_now(key, "speed")),
            step=1,
            key=_w(key, "speed"),
            help="A display option: changing it never restarts training.",
        )
    )


Widget = Callable[[str, bool], object]
WIDGETS: dict[str, Widget] = {
    "dataset": _dataset,
    "noise": _noise,
    "n": _n,
    "test": _test,
    "seed": _seed_widget,
    "draw": _draw,
    "hidden": _hidden,
    "activation": _activation,
    "head": _head,
    "k": _k,
    "loss": _loss,
    "temperature": _temperature,
    "init": _init,
    "lr": _lr,
    "batch": _batch,
    "momentum": _momentum,
    "decay": _decay,
    "speed": _speed,
}
SECTIONS = (
    ("Data", DATA_FIELDS),
    ("Model", MODEL_FIELDS),
    ("Optimiser", OPTIMISER_FIELDS),
    ("Play", PLAY_FIELDS),
)


@dataclass(frozen=True)
class CsvChoice:
    """An uploaded (or example) CSV turned into data: `token` changes whenever the file,
    the label or the split does, so the page knows to restart training."""

    data: csvdata.CsvData
    name: str
    token: str


def _use_example(key: str) -> None:
    name = st.session_state.get(_w(key, "csv_example"), EXAMPLES[0])
    st.session_state[_w(key, "csv_source")] = (name, (EXAMPLES_DIR / name).read_bytes())
    st.session_state[_w(key, "csv_name")] = name


def _csv_source(key: str, uploaded, returning: bool) -> tuple[str, bytes] | None:
    """The file in use: a new upload replaces an example and vice versa; clearing forgets it.
    An uploader that is empty because the session was on another page (`returning`) is not
    a clearing: the file stays."""
    source_key, seen_key = _w(key, "csv_source"), _w(key, "csv_seen_upload")
    upload_id = uploaded.file_id if uploaded is not None else None
    if returning and uploaded is None:
        st.session_state[seen_key] = None
    if upload_id != st.session_state.get(seen_key):
        st.session_state[seen_key] = upload_id
        st.session_state[source_key] = None
        if uploaded is not None:
            st.session_state[_w(key, "csv_name")] = uploaded.name
            if uploaded.size > csvdata.MAX_BYTES:
                raise csvdata.CsvError(
                    f"The file is {uploaded.size / 1e6:.1f} MB; files up to "
                    f"{csvdata.MAX_BYTES / 1e6:.0f} MB are accepted."
                )
            st.session_state[source_key] = (uploaded.name, uploaded.getvalue())
    return st.session_state.get(source_key)


def _cached(key: str, name: str, make: Callable[[], object], *parts: object) -> object:
    """One value per session, remade only when `parts` change (the parsed table, the data)."""
    slot = _w(key, name)
    held = st.session_state.get(slot)
    if held is None or held[0] != parts:
        st.session_state[slot] = (parts, make())
    return st.session_state[slot][1]


def _label(key: str, table: csvdata.Table) -> str:
    candidates = csvdata.label_candidates(table)
    if not candidates:
        raise csvdata.CsvError(
            f"No column can be the label: a label needs 2 to {csvdata.MAX_CLASSES} distinct "
            "values and no missing cells."
        )
    widget, chosen = _w(key, "csv_label"), _w(key, "csv_label_chosen")
    if widget not in st.session_state:  # first drawn, or forgotten on another page
        st.session_state[widget] = st.session_state.get(chosen)
    if st.session_state[widget] not in candidates:
        st.session_state[widget] = csvdata.default_label(table)
    label = st.selectbox(
        "Label column", candidates, key=widget, help="Every other column is a numeric feature."
    )
    st.session_state[chosen] = label
    return label


def _example_buttons(key: str) -> None:
    example = st.selectbox("Example file", EXAMPLES, key=_w(key, "csv_example"))
    left, right = st.columns(2)
    left.button("Use example", key=_w(key, "csv_use_example"), on_click=_use_example, args=(key,))
    right.download_button(
        "Download example",
        (EXAMPLES_DIR / example).read_bytes(),
        file_name=example,
        mime="text/csv",
        key=_w(key, "csv_download"),
        on_click="ignore",
    )


def csv_choice(key: str) -> CsvChoice | None:
    """The CSV data chosen in this session's sidebar under `key`, if any."""
    return st.session_state.get(_w(key, "csv_choice"))


def csv_ui(key: str, settings: Settings, seed: int) -> CsvChoice | None:
    """The upload panel under Data: a file (or an example), its label column, a summary.

    Returns the data, or None (with a message saying why) when there is nothing usable.
    """
    with st.sidebar:
        returning = _w(key, "csv_file") not in st.session_state
        uploaded = st.file_uploader(
            "CSV file",
            type=["csv", "txt", "tsv"],
            key=_w(key, "csv_file"),
            help=f"A header row, numeric feature columns and a label column; up to "
            f"{csvdata.MAX_ROWS} rows, {csvdata.MAX_FEATURES} features and "
            f"{csvdata.MAX_BYTES // 1_000_000} MB. Comma, semicolon, tab or | separated.",
        )
        _example_buttons(key)
        try:
            return _csv_choice(key, settings, seed, uploaded, returning)
        except csvdata.CsvError as err:
            name = csvdata.safe_name(st.session_state.get(_w(key, "csv_name"), "file"))
            st.error(f"Cannot use `{name}`: {err}", icon="🚫")
            return None


def _csv_choice(
    key: str, settings: Settings, seed: int, uploaded, returning: bool
) -> CsvChoice | None:
    source = _csv_source(key, uploaded, returning)
    if source is None:
        st.caption("Upload a CSV file or use an example to train on your own data.")
        return None
    name, raw = source
    digest = hashlib.sha256(raw).hexdigest()[:16]
    table = _cached(key, "csv_table", lambda: csvdata.parse_csv(raw), digest)
    label = _label(key, table)
    parts = (digest, label, settings.test, seed)
    data = _cached(key, "csv_data", lambda: csvdata.to_dataset(table, label, *parts[2:]), *parts)
    st.caption(_summary(data, table))
    return CsvChoice(data, name, "/".join(map(str, parts)))


def _summary(data: csvdata.CsvData, table: csvdata.Table) -> str:
    classes = ", ".join(f"{i} = `{csvdata.safe_name(c)}`" for i, c in enumerate(data.classes))
    return (
        f"{table.n_rows} rows ({csvdata.DELIMITER_NAMES[table.delimiter]}-separated), "
        f"{data.dataset.n_features} features, standardised with the training split's mean and "
        f"std. Classes: {classes}. A link cannot carry this file: it opens the default dataset."
    )
