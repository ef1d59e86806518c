"""Fuzzed CSV files (issue 8): every file is either rejected with a CsvError that says what
is wrong, or becomes a finite, standardised dataset. Nothing else ever escapes."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from softviz.csvdata import CsvError, default_label, parse_csv, to_dataset

CELLS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-5, 5).map(str),
    st.sampled_from(["", "NA", "?", "=cmd|' /C calc'!A0", "<script>", "1,5", "x", "é", '"']),
    st.text(max_size=6),
)
ROWS = st.lists(st.lists(CELLS, min_size=1, max_size=5), min_size=0, max_size=30)


def outcome(raw: bytes) -> str:
    try:
        table = parse_csv(raw)
        label = "label" if "label" in table.columns else default_label(table) or table.columns[-1]
        data = to_dataset(table, label).dataset
    except CsvError as err:
        assert str(err).strip(), "a rejection must say what is wrong"
        return "rejected"
    for split in (data.X_train, data.X_test):
        assert np.all(np.isfinite(split))
    assert set(np.unique(data.y_train)) <= set(range(data.n_classes))
    return "accepted"


@settings(max_examples=150, deadline=None)
@given(raw=st.binary(max_size=2000))
def test_arbitrary_bytes(raw):
    outcome(raw)


@settings(max_examples=150, deadline=None)
@given(header=st.lists(st.text(max_size=8), min_size=1, max_size=5), rows=ROWS,
       delimiter=st.sampled_from([",", ";", "\t", "|"]))  # fmt: skip
def test_table_shaped_text(header, rows, delimiter):
    lines = [delimiter.join(header)] + [delimiter.join(r) for r in rows]
    outcome("\n".join(lines).encode())


def test_the_named_hostile_files():
    wide = ",".join(f"c{i}" for i in range(200_000)).encode()
    files = {
        "empty": b"",
        "binary": bytes(range(256)) * 4,
        "utf-16": "a,b,label\n1,2,0\n".encode("utf-16"),
        "header only": b"a,b,label\n",
        "a huge number of columns": wide + b"\n" + wide,
        "oversized": b"a,b,label\n" + b"1,2,0\n" * 400_000,
        "one class": b"a,label\n" + b"1,0\n2,0\n" * 10,
        "too many classes": b"a,label\n" + b"".join(b"%d,%d\n" % (i, i) for i in range(40)),
    }
    for name, raw in files.items():
        assert outcome(raw) == "rejected", name
