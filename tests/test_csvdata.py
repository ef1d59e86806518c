"""CSV upload: every rejection names the problem; good files round-trip to standardised data."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from softviz import csvdata
from softviz.csvdata import CsvError, load, parse_csv, to_dataset

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def rows(n: int = 12, delimiter: str = ",") -> str:
    """n rows of two features and a yes/no label, alternating classes."""
    return "".join(
        f"{i}{delimiter}{i % 3}.5{delimiter}{'yes' if i % 2 else 'no'}\n" for i in range(n)
    )


def csv_bytes(body: str, header: str = "x1,x2,label\n") -> bytes:
    return (header + body).encode()


@pytest.mark.parametrize("name", ["exam_scores.csv", "parcel_scanner.csv"])
def test_the_shipped_examples_load(name):
    data = load((EXAMPLES / name).read_bytes())
    assert data.n_classes == 2
    assert len(data.dataset.X_train) + len(data.dataset.X_test) >= 200
    assert np.allclose(data.dataset.X_train.mean(axis=0), 0, atol=1e-9)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_detected(delimiter):
    raw = csv_bytes(rows(12, delimiter), header=delimiter.join(["x1", "x2", "label"]) + "\n")
    table = parse_csv(raw)
    assert table.delimiter == delimiter and table.columns == ("x1", "x2", "label")


def test_semicolon_files_may_use_decimal_commas_and_a_bom():
    raw = "\ufeffa;b;y\n" + "".join(f"{i},5;{-i},25;{i % 2}\n" for i in range(10))
    data = load(raw.encode("utf-8"))
    assert data.dataset.feature_names == ("a", "b") and data.label == "y"
    restored = np.r_[data.dataset.X_train, data.dataset.X_test] * data.std + data.mean
    assert np.allclose(np.sort(restored[:, 0]), [i + 0.5 for i in range(10)])
    assert np.allclose(np.sort(restored[:, 1]), sorted(float(f"{-i}.25") for i in range(10)))


def test_features_are_standardised_with_the_training_split():
    data = load(csv_bytes(rows(40)), test_fraction=0.25, seed=3)
    X = data.dataset.X_train
    assert np.allclose(X.mean(axis=0), 0) and np.allclose(X.std(axis=0), 1)
    assert len(data.dataset.X_test) == 10


@settings(max_examples=25, deadline=None)
@given(
    values=st.lists(
        st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=3, max_size=3),
        min_size=12,
        max_size=40,
    )
)
def test_numbers_round_trip_through_the_file(values):
    X = np.array(values)
    y = np.arange(len(X)) % 2
    text = "id,a,b,c,label\n" + "".join(
        f"{i}," + ",".join(repr(float(v)) for v in row) + f",{t}\n"
        for i, (row, t) in enumerate(zip(X, y, strict=True))
    )
    data = to_dataset(parse_csv(text.encode()), "label", test_fraction=0.25, seed=0)
    restored = np.r_[data.dataset.X_train, data.dataset.X_test] * data.std + data.mean
    order = np.argsort(np.round(restored[:, 0]))  # the id column puts rows back in file order
    assert np.allclose(restored[order, 1:], X, rtol=1e-9, atol=1e-6)
    assert np.array_equal(np.r_[data.dataset.y_train, data.dataset.y_test][order], y)


def test_labels_sort_numerically_or_alphabetically():
    y, names = csvdata.encode_labels(["1", "0", "1.0", "0"])
    assert names == ("0", "1") and y.tolist() == [1, 0, 1, 0]
    y, names = csvdata.encode_labels(["present", "absent", "present"])
    assert names == ("absent", "present") and y.tolist() == [1, 0, 1]


def test_the_default_label_is_a_label_like_column():
    table = parse_csv(b"class,x1,x2\n" + b"a,1,2\nb,3,4\n" * 6)
    assert csvdata.default_label(table) == "class"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"x1,x2,label\n" + b"1,2,\x00\n" * 12, "NUL"),
        (b"justonecolumn\n" + b"1\n" * 12, "delimiter"),
        (b"1,2,3\n" + b"1,2,0\n1,2,1\n" * 6, "header"),
        (b"x1,,label\n" + b"1,2,0\n1,2,1\n" * 6, "Column 2 has no name"),
        (b"x,x,label\n" + b"1,2,0\n1,2,1\n" * 6, "appears twice"),
        (b"x1,x2,label\n1,2,0\n1,2\n" + b"1,2,0\n" * 10, "Row 3 has 2 cells"),
        (b"x1,x2,label\n" + b"1,2,0\n" * 5, "at least 10"),
        (b"x1,x2,label\n" + b"1,2,0\n" * (csvdata.MAX_ROWS + 1), "more than"),
        (
            (",".join(f"f{i}" for i in range(csvdata.MAX_FEATURES + 1)) + ",y\n").encode() + b"1\n",
            "columns",
        ),
        (b"x" * (csvdata.MAX_BYTES + 1), "MB"),
    ],
)
def test_structural_problems_are_named(raw, message):
    with pytest.raises(CsvError, match=message):
        parse_csv(raw)


def test_a_missing_feature_names_its_row_and_column():
    body = rows(12).splitlines(keepends=True)
    body[4] = "4,,yes\n"
    with pytest.raises(CsvError, match=r"Row 6, column `x2`: the value is missing"):
        load(csv_bytes("".join(body)), label="label")


def test_a_formula_cell_is_just_a_non_number_and_is_never_run():
    body = rows(12).splitlines(keepends=True)
    body[2] = "=cmd|' /C calc'!A0,1,yes\n"
    with pytest.raises(CsvError, match=r"Row 4, column `x1`: .* is not a number") as err:
        load(csv_bytes("".join(body)), label="label")
    assert "|" not in str(err.value) and "'" not in str(err.value)


def test_text_features_ask_to_become_the_label_or_go():
    raw = csv_bytes("".join(f"{i},red,{i % 2}\n" for i in range(12)), header="x1,colour,y\n")
    with pytest.raises(CsvError, match="`colour`: `red` is not a number"):
        load(raw, label="y")


def test_label_problems_are_named():
    one_class = csv_bytes("".join(f"{i},{i},yes\n" for i in range(12)))
    with pytest.raises(CsvError, match="No column can be the label"):
        load(one_class)
    rare = csv_bytes("".join(f"{i},{i},{'yes' if i else 'no'}\n" for i in range(12)))
    with pytest.raises(CsvError, match="`no` occurs 1 time"):
        load(rare, label="label")
    with pytest.raises(CsvError, match="no column `nope`"):
        load(csv_bytes(rows(12)), label="nope")
    missing = rows(12).splitlines(keepends=True)
    missing[3] = "3,1,\n"
    with pytest.raises(CsvError, match="Row 5: the label `label` is missing"):
        to_dataset(parse_csv(csv_bytes("".join(missing))), "label")


def test_unsafe_column_names_are_neutralised():
    raw = csv_bytes(rows(12), header="<b>x</b>,[a](javascript:x),`label`\n")
    table = parse_csv(raw)
    assert all(not set(name) & set("<>[]`") for name in table.columns)
