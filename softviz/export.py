"""Files a user can download: training history (CSV) and weights (NPZ or JSON). No Streamlit.

>>> from softviz.training import Trainer
>>> t = Trainer(Settings(dataset="xor", hidden=4)); t.step(3)
3
>>> history_csv(t.history.as_dict()).splitlines()[0]
'step,train_loss,test_loss,train_acc,test_acc,norm_W1,norm_W2'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict

import numpy as np

from softviz.settings import Settings, to_json

WEIGHTS_FORMAT = "softviz-weights"


def history_csv(history: Mapping[str, Sequence[float]]) -> str:
    """Columns of equal length as CSV text, header first; `step` written as a whole number.

    Floats keep full precision (repr), so a reloaded curve is bit-for-bit the one shown.
    """
    keys = list(history)
    lengths = {len(history[key]) for key in keys}
    if len(lengths) > 1:
        raise ValueError(f"history columns differ in length: {sorted(lengths)}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    for row in zip(*(history[key] for key in keys), strict=True):
        writer.writerow(_cell(key, value) for key, value in zip(keys, row, strict=True))
    return out.getvalue()


def _cell(key: str, value: float) -> str:
    return str(int(value)) if key == "step" and np.isfinite(value) else repr(float(value))


def weights_npz(params: Mapping[str, np.ndarray], settings: Settings, steps: int) -> bytes:
    """The parameters as a compressed NumPy archive (np.load gives W1, b1, W2, b2 as saved),
    plus `settings` (the settings file's JSON text) and `steps`, so the file says what it is.
    """
    buffer = io.BytesIO()
    arrays = {key: np.asarray(value, dtype=float) for key, value in params.items()}
    np.savez_compressed(buffer, **arrays, settings=np.array(to_json(settings)), steps=steps)
    return buffer.getvalue()


def weights_json(params: Mapping[str, np.ndarray], settings: Settings, steps: int) -> str:
    """The parameters as nested JSON lists (W (out, in) row by row), with shapes and settings."""
    document = {
        "format": WEIGHTS_FORMAT,
        "steps": int(steps),
        "layout": "W1 (hidden, inputs), W2 (outputs, hidden or inputs): row k feeds output k",
        "shapes": {key: list(np.shape(value)) for key, value in params.items()},
        "params": {key: np.asarray(value, dtype=float).tolist() for key, value in params.items()},
        "settings": asdict(settings),
    }
    return json.dumps(document, allow_nan=False) + "\n"
