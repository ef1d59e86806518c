"""The user's own CSV file → a Dataset, validated step by step with messages a learner can act on.

Two stages, both pure (no Streamlit): `parse_csv(raw bytes) -> Table` checks the file's
structure (size, encoding, delimiter, header, row lengths, limits); `to_dataset(table, label,
test_fraction, seed) -> CsvData` checks the chosen label and the numeric features, splits the
rows and standardises the features with the training split's mean and standard deviation.

Every rejection raises CsvError whose message names the problem and, where there is one, the
row and column. Rows are counted like a spreadsheet: the header is row 1. Nothing in a cell is
ever evaluated: a formula such as ``=cmd|' /C calc'!A0`` is just a value that is not a number.

>>> table = parse_csv(b"x1;x2;label\\n" + b"0;1,5;yes\\n1;0;no\\n" * 5)
>>> table.columns, table.n_rows, table.delimiter
(('x1', 'x2', 'label'), 10, ';')
>>> load(b"x1;x2;label\\n" + b"0;1,5;yes\\n1;0;no\\n" * 5).classes
('no', 'yes')
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import numpy as np

from softviz.datasets import Dataset, split
from softviz.settings import shown

MAX_BYTES = 1_000_000
MAX_ROWS = 5000
MIN_ROWS = 10
MAX_FEATURES = 100
MAX_CLASSES = 10
MIN_PER_CLASS = 2
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "?"})
LABEL_NAMES = ("label", "class", "target", "y", "object", "present")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_UNSAFE_NAME = re.compile(r"[^\w .()/%#:+\-]")
_SNIFF_LINES = 50


class CsvError(ValueError):
    """A CSV file or choice we cannot use; the message says why, for the person who made it."""


@dataclass(frozen=True)
class Table:
    """The file's cells as text: columns (c,) names; rows (n, c) stripped strings."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    delimiter: str

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[str]:
        """Every cell of one column, top to bottom."""
        j = self.columns.index(name)
        return [row[j] for row in self.rows]


@dataclass(frozen=True)
class CsvData:
    """A CSV turned into a standardised Dataset, with what the UI needs to explain it.

    classes (C,) the label values in class-index order; mean, std (d,) the training split's
    statistics used to standardise every feature (std 1 for a constant column).
    """

    dataset: Dataset
    label: str
    classes: tuple[str, ...]
    mean: np.ndarray
    std: np.ndarray
    delimiter: str

    @property
    def n_classes(self) -> int:
        return len(self.classes)


def decode(raw: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), else Latin-1; binaries are refused."""
    if not raw.strip():
        raise CsvError("The file is empty.")
    if len(raw) > MAX_BYTES:
        raise CsvError(
            f"The file is {len(raw) / 1e6:.1f} MB; files up to {MAX_BYTES / 1e6:.0f} MB "
            f"(and {MAX_ROWS} rows) are accepted."
        )
    if b"\x00" in raw:
        raise CsvError("This is not a text file (it contains NUL bytes): save it as CSV text.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the header into the most columns (at least two), provided
    most of the first lines agree with the header (a stray short row is reported later)."""
    sample = [line for line in text.splitlines()[:_SNIFF_LINES] if line.strip()]
    best, best_width = None, 1
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        agree = sum(width == widths[0] for width in widths) if widths else 0
        if widths and widths[0] > best_width and agree * 2 > len(widths):
            best, best_width = delimiter, widths[0]
    if best is None:
        raise CsvError(
            "Could not find the delimiter: the file needs a header and at least two columns "
            "(features and a label) separated by commas, semicolons, tabs or vertical bars."
        )
    return best


def safe_name(name: str) -> str:
    """A name from the file (column, label value, file name) safe to show in charts and
    messages: letters, digits and plain punctuation only, at most 40 characters."""
    return _UNSAFE_NAME.sub("_", name.strip())[:40]


def _header(cells: list[str]) -> tuple[str, ...]:
    names = tuple(safe_name(cell) for cell in cells)
    if all(_NUMBER.match(cell.strip()) for cell in cells):
        raise CsvError(
            "Row 1 must be a header naming the columns, but it holds only numbers. "
            "Add a first line such as `x1,x2,label`."
        )
    for j, name in enumerate(names):
        if not name:
            raise CsvError(f"Column {j + 1} has no name in the header (row 1).")
        if names.index(name) != j:
            raise CsvError(f"The column name `{name}` appears twice in the header (row 1).")
    if len(names) - 1 > MAX_FEATURES:
        raise CsvError(
            f"The file has {len(names)} columns; at most {MAX_FEATURES} feature columns "
            "plus a label column are accepted."
        )
    return names


def _rows(reader: csv.reader, width: int) -> tuple[tuple[str, ...], ...]:
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        if len(cells) != width:
            raise CsvError(f"Row {number} has {len(cells)} cells but the header has {width}.")
        if len(rows) == MAX_ROWS:
            raise CsvError(f"The file has more than {MAX_ROWS} data rows; shorten it.")
        rows.append(tuple(cell.strip() for cell in cells))
    if len(rows) < MIN_ROWS:
        raise CsvError(f"The file has {len(rows)} data rows; at least {MIN_ROWS} are needed.")
    return tuple(rows)


def parse_csv(raw: bytes) -> Table:
    """Check a file's structure and read its cells as text. Raises CsvError."""
    text = decode(raw)
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        columns = _header(next(reader))
        return Table(columns, _rows(reader, len(columns)), delimiter)
    except csv.Error as err:
        raise CsvError(f"The file is not valid CSV near row {reader.line_num}: {err}.") from None


def is_missing(cell: str) -> bool:
    """Empty cells and the usual spellings of 'not available' count as missing."""
    return cell.strip().lower() in MISSING


def to_number(cell: str, delimiter: str) -> float | None:
    """The cell as a finite float, or None. Decimal commas are read when ',' is not the
    delimiter (as in European spreadsheets); nothing is ever evaluated."""
    text = cell.strip()
    if delimiter != "," and _DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    if not _NUMBER.match(text):
        return None
    value = float(text)
    return value if np.isfinite(value) else None


def label_candidates(table: Table) -> list[str]:
    """Columns that could be the label: no missing cells, 2 … MAX_CLASSES distinct values."""
    found = []
    for name in table.columns:
        cells = table.column(name)
        if any(is_missing(c) for c in cells):
            continue
        if 2 <= len(encode_labels(cells, table.delimiter)[1]) <= MAX_CLASSES:
            found.append(name)
    return found


def default_label(table: Table) -> str | None:
    """A column named like a label (label, class, target, …), else the last candidate."""
    candidates = label_candidates(table)
    for name in candidates:
        if name.lower() in LABEL_NAMES:
            return name
    return candidates[-1] if candidates else None


def encode_labels(cells: list[str], delimiter: str = ",") -> tuple[np.ndarray, tuple[str, ...]]:
    """Label cells → class indices (n,) and the class names in index order.

    Numeric labels sort by value (so 0 → class 0 and 1 → class 1, and "1" equals "1.0");
    any other labels sort alphabetically (so "absent" → 0, "present" → 1; "no" → 0, "yes" → 1).
    """
    numbers = [to_number(cell, delimiter) for cell in cells]
    if all(value is not None for value in numbers):
        values = sorted(set(numbers))
        names = tuple(f"{v:g}" for v in values)
        index = {v: i for i, v in enumerate(values)}
        return np.array([index[v] for v in numbers], dtype=int), names
    names = tuple(sorted(set(cells)))
    index = {name: i for i, name in enumerate(names)}
    return np.array([index[c] for c in cells], dtype=int), names


def _check_label(table: Table, label: str) -> tuple[np.ndarray, tuple[str, ...]]:
    if label not in table.columns:
        raise CsvError(f"There is no column `{safe_name(label)}` to use as the label.")
    cells = table.column(label)
    for number, cell in enumerate(cells, start=2):
        if is_missing(cell):
            raise CsvError(f"Row {number}: the label `{label}` is missing.")
    y, classes = encode_labels(cells, table.delimiter)
    if not 2 <= len(classes) <= MAX_CLASSES:
        raise CsvError(
            f"The label `{label}` has {len(classes)} distinct value(s); a label needs "
            f"2 (yes/no) to {MAX_CLASSES}. Pick another label column."
        )
    counts = np.bincount(y, minlength=len(classes))
    if counts.min() < MIN_PER_CLASS:
        rare = classes[int(counts.argmin())]
        raise CsvError(
            f"The label value `{shown(rare)}` occurs {counts.min()} time(s); each class needs "
            f"at least {MIN_PER_CLASS} rows so both train and test can hold it."
        )
    return y, classes


def _features(table: Table, label: str) -> tuple[np.ndarray, tuple[str, ...]]:
    names = tuple(name for name in table.columns if name != label)
    X = np.empty((table.n_rows, len(names)))
    columns = [table.columns.index(name) for name in names]
    for i, row in enumerate(table.rows):
        for j, (name, c) in enumerate(zip(names, columns, strict=True)):
            value = to_number(row[c], table.delimiter)
            if value is None:
                raise CsvError(_bad_cell(row[c], i + 2, name))
            X[i, j] = value
    return X, names


def _bad_cell(cell: str, number: int, column: str) -> str:
    if is_missing(cell):
        return (
            f"Row {number}, column `{column}`: the value is missing. Fill it in or delete the "
            "row; every feature must be a number."
        )
    return (
        f"Row {number}, column `{column}`: `{shown(cell)}` is not a number. Features must be "
        "numbers; make the text column the label or remove it."
    )


def standardise(
    X_train: np.ndarray, X_test: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X − mean) / std with the training split's statistics; a constant column keeps std 1."""
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    std = np.where(std > 1e-12 * np.maximum(1.0, np.abs(mean)), std, 1.0)
    return (X_train - mean) / std, (X_test - mean) / std, mean, std


def to_dataset(table: Table, label: str, test_fraction: float = 0.25, seed: int = 0) -> CsvData:
    """Use `label` as the class and every other column as a numeric feature. Raises CsvError."""
    y, classes = _check_label(table, label)
    X, names = _features(table, label)
    raw = split("csv", X, y, test_fraction, np.random.default_rng(seed), feature_names=names)
    X_train, X_test, mean, std = standardise(raw.X_train, raw.X_test)
    data = Dataset("csv", X_train, raw.y_train, X_test, raw.y_test, None, names)
    return CsvData(data, label, classes, mean, std, table.delimiter)


def load(
    raw: bytes, label: str | None = None, test_fraction: float = 0.25, seed: int = 0
) -> CsvData:
    """parse_csv then to_dataset with `label`, or the default label column when None."""
    table = parse_csv(raw)
    label = label or default_label(table)
    if label is None:
        raise CsvError(
            f"No column can be the label: a label column needs 2 to {MAX_CLASSES} distinct "
            "values and no missing cells."
        )
    return to_dataset(table, label, test_fraction, seed)
