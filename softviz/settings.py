"""One typed settings record for every page, and its round trip through URL query parameters.

`from_query` parses strings and falls back to the default, with a warning, for anything it
cannot use; `to_query` writes only what differs from the defaults, so a short link reproduces
a view, seed included. The same short keys name things in selectboxes, URLs and tables.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from softviz.activations import ACTIVATIONS
from softviz.datasets import DATASETS
from softviz.heads import HEADS


@dataclass(frozen=True)
class Settings:
    """Everything that defines a view. batch = 0 means the full training set; test is the
    fraction of examples held out for testing; draw > 0 asks for another sample of the same
    dataset (the "New data" button) without changing the seed of the initial weights.

    `present` (presentation mode) changes how a view is drawn, not what it computes, so it
    takes no part in equality: toggling it never restarts a training run that compares
    Settings to decide whether to rebuild.
    """

    dataset: str = "object"
    head: str = "softmax"
    k: int = 2
    loss: str = "ce"
    hidden: int = 16
    activation: str = "relu"
    lr: float = 0.1
    batch: int = 64
    seed: int = 0
    temperature: float = 1.0
    noise: float = 0.1
    present: bool = field(default=False, compare=False)
    momentum: float = 0.0
    decay: float = 0.0
    n: int = 800
    init: float = 1.0
    speed: int = 1
    test: float = 0.25
    draw: int = 0


CHOICES: dict[str, tuple[str, ...]] = {
    "dataset": DATASETS,
    "head": HEADS,
    "loss": ("ce", "mse"),
    "activation": tuple(ACTIVATIONS),
}
# Inclusive (low, high) bounds for every number; the UI's sliders use the same ones.
BOUNDS: dict[str, tuple[float, float]] = {
    "k": (1, 10),
    "hidden": (0, 128),
    "lr": (1e-4, 10.0),
    "batch": (0, 4096),
    "seed": (0, 2**31 - 1),
    "temperature": (0.05, 20.0),
    "noise": (0.0, 1.0),
    "momentum": (0.0, 0.99),
    "decay": (0.0, 1.0),
    "n": (20, 5000),
    "init": (0.0, 5.0),
    "speed": (1, 50),
    "test": (0.1, 0.5),
    "draw": (0, 10**6),
}
DEFAULTS = Settings()
_TYPES = {f.name: type(getattr(DEFAULTS, f.name)) for f in fields(Settings)}


def shown(value: Any) -> str:
    """A short, inert echo of untrusted input for a warning: no markup survives."""
    text = re.sub(r"[^A-Za-z0-9 .,+\-]", "?", str(value))
    return text[:24] + ("…" if len(text) > 24 else "")


def _parse(key: str, raw: str) -> Any:
    kind = _TYPES[key]
    if kind is bool:
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError("expected 1 or 0")
    if kind is str:
        if raw not in CHOICES[key]:
            raise ValueError(f"expected one of {', '.join(CHOICES[key])}")
        return raw
    try:
        value = float(raw)
    except ValueError:
        raise ValueError("expected a number") from None  # float's message echoes the input
    if not math.isfinite(value):
        raise ValueError("expected a finite number")
    if kind is int and value != int(value):
        raise ValueError("expected a whole number")
    low, high = BOUNDS[key]
    if not low <= value <= high:
        raise ValueError(f"expected a number from {low:g} to {high:g}")
    return int(value) if kind is int else value


def _last(raw: str | Sequence[str]) -> str:
    return raw if isinstance(raw, str) else (list(raw)[-1] if len(raw) else "")


def from_query(query: Mapping[str, str | Sequence[str]]) -> tuple[Settings, list[str]]:
    """Parse query parameters into Settings; every value not used yields one warning.

    Unknown keys are left alone (pages own a few keys of their own, such as the tour's step).
    Repeated keys: the last value counts.
    """
    values: dict[str, Any] = {}
    warnings: list[str] = []
    for key, raw in query.items():
        if key not in _TYPES:
            continue
        text = _last(raw).strip()
        try:
            values[key] = _parse(key, text)
        except ValueError as err:
            default = getattr(DEFAULTS, key)
            warnings.append(f"Ignored {key}={shown(text)} ({err}); using {key}={default}.")
    settings = replace(DEFAULTS, **values)
    settings, fixes = consistent(settings)
    return settings, warnings + fixes


def consistent(settings: Settings) -> tuple[Settings, list[str]]:
    """Repair combinations the engine refuses (a softmax needs k ≥ 2), saying what changed."""
    if settings.head == "softmax" and settings.k < 2:
        return replace(settings, k=2), ["A softmax head needs at least 2 outputs; using k=2."]
    return settings, []


def to_query(settings: Settings) -> dict[str, str]:
    """The parameters that differ from the defaults, as strings (bools as 1/0)."""
    query = {}
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if value != getattr(DEFAULTS, f.name):
            query[f.name] = str(int(value)) if isinstance(value, bool) else str(value)
    return query


# --- settings files (JSON) -----------------------------------------------------------------

JSON_FORMAT = "softviz-settings"
JSON_VERSION = 1
MAX_JSON_BYTES = 20_000  # a full settings file is about 400 bytes


class SettingsFileError(ValueError):
    """A settings file that cannot be read at all (not JSON, wrong shape, too large)."""


def to_json(
    settings: Settings, page: str | None = None, page_query: Mapping[str, str] | None = None
) -> str:
    """Every setting (not only those that differ from the defaults) as a small JSON document.

    page, if given, is the URL path of the view ("train", "heads", …) the file was saved from;
    page_query its own URL keys (e.g. /heads's logits z), which that page validates itself.
    >>> '"lr": 0.1' in to_json(DEFAULTS)
    True
    """
    document: dict[str, Any] = {"format": JSON_FORMAT, "version": JSON_VERSION}
    if page:
        document["page"] = page
    document["settings"] = asdict(settings)
    if page_query:
        document["page_query"] = dict(page_query)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _as_query_value(key: str, value: Any) -> str:
    """A JSON scalar as the string a URL would carry; ValueError for anything else."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | str):
        return str(value)
    raise ValueError(f"Ignored {shown(key)} (expected a number or a word, not {_kind(value)}).")


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", type(None): "null"}.get(type(value), "a value")


def _load_document(text: str | bytes) -> dict[str, Any]:
    """Parse and shape-check a settings file; SettingsFileError with a readable reason."""
    if len(text) > MAX_JSON_BYTES:
        raise SettingsFileError(
            f"The file is {len(text):,} bytes; a settings file is at most {MAX_JSON_BYTES:,}."
        )
    try:
        document = json.loads(text.decode("utf-8-sig") if isinstance(text, bytes) else text)
    except UnicodeDecodeError:
        raise SettingsFileError("The file is not UTF-8 text; a settings file is JSON.") from None
    except json.JSONDecodeError as err:
        where = f"line {err.lineno}, column {err.colno}"
        raise SettingsFileError(f"The file is not valid JSON ({err.msg} at {where}).") from None
    except RecursionError:
        raise SettingsFileError("The file is not a settings file (nested too deeply).") from None
    if not isinstance(document, dict):
        raise SettingsFileError("The file must hold a JSON object, as saved by softviz.")
    if document.get("format", JSON_FORMAT) != JSON_FORMAT:
        raise SettingsFileError(
            f'This is not a softviz settings file (format is not "{JSON_FORMAT}").'
        )
    values = document.get("settings")
    if not isinstance(values, dict):
        raise SettingsFileError('The file has no "settings" object.')
    return document


def from_json(text: str | bytes) -> tuple[Settings, list[str]]:
    """Read a settings file written by `to_json`; values pass through `from_query`'s checks.

    Raises SettingsFileError when the file cannot be used at all; otherwise every setting
    that is unknown or invalid is ignored with one warning, as for a URL.
    """
    values = _load_document(text)["settings"]
    query: dict[str, str] = {}
    warnings: list[str] = []
    for key, value in values.items():
        if key not in _TYPES:
            warnings.append(f"Ignored unknown setting {shown(key)}.")
            continue
        try:
            query[key] = _as_query_value(key, value)
        except ValueError as err:
            warnings.append(str(err))
    settings, more = from_query(query)
    return settings, warnings + more


def page_of_json(text: str | bytes) -> str | None:
    """The URL path a settings file was saved from ("train", "" for /), or None if it names none.

    Raises SettingsFileError when the file cannot be used at all.
    """
    page = _load_document(text).get("page")
    return page if isinstance(page, str) and re.fullmatch(r"[a-z_]{0,32}", page) else None


PAGE_KEY = re.compile(r"[a-z_]{1,32}")
MAX_PAGE_VALUE = 200  # characters; /heads's ten logits need about 60


def page_query_of_json(text: str | bytes) -> tuple[dict[str, str], list[str]]:
    """The page's own URL keys saved in a settings file, as strings, and one warning for each
    entry that cannot be one (the page itself then checks the values, as it does for a URL).

    Raises SettingsFileError when the file cannot be used at all.
    """
    saved = _load_document(text).get("page_query", {})
    if not isinstance(saved, dict):
        return {}, ['Ignored "page_query" (expected an object).']
    query, warnings = {}, []
    for key, value in saved.items():
        ok_value = isinstance(value, str | int | float) and not isinstance(value, bool)
        if not PAGE_KEY.fullmatch(key) or key in _TYPES or not ok_value:
            warnings.append(f"Ignored page setting {shown(key)}.")
        elif len(str(value)) > MAX_PAGE_VALUE:
            warnings.append(f"Ignored page setting {shown(key)} (longer than {MAX_PAGE_VALUE}).")
        else:
            query[key] = str(value)
    return query, warnings
