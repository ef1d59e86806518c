"""Settings ↔ JSON files: round trips, and clear refusals of files that cannot be used."""

import json
from dataclasses import asdict, fields, replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from softviz.settings import (
    BOUNDS,
    CHOICES,
    DEFAULTS,
    MAX_JSON_BYTES,
    SettingsFileError,
    from_json,
    from_query,
    page_of_json,
    page_query_of_json,
    to_json,
    to_query,
)


def _identical(a, b) -> bool:
    """Equal in every field, `present` included (Settings equality leaves it out on purpose)."""
    return asdict(a) == asdict(b)


@given(
    dataset=st.sampled_from(CHOICES["dataset"]),
    head=st.sampled_from(CHOICES["head"]),
    k=st.integers(2, 10),
    loss=st.sampled_from(CHOICES["loss"]),
    hidden=st.integers(*map(int, BOUNDS["hidden"])),
    lr=st.floats(*BOUNDS["lr"]),
    seed=st.integers(*map(int, BOUNDS["seed"])),
    noise=st.floats(*BOUNDS["noise"]),
    present=st.booleans(),
)
def test_json_round_trip(dataset, head, k, loss, hidden, lr, seed, noise, present):
    s = replace(
        DEFAULTS,
        dataset=dataset,
        head=head,
        k=k,
        loss=loss,
        hidden=hidden,
        lr=lr,
        seed=seed,
        noise=noise,
        present=present,
    )
    back, warnings = from_json(to_json(s))
    assert warnings == [] and _identical(back, s)
    # The URL and the file agree: a view saved as JSON and shared as a link is the same view.
    assert _identical(from_query(to_query(s))[0], back)


def test_a_file_holds_every_setting_and_the_page():
    document = json.loads(to_json(replace(DEFAULTS, lr=0.5), page="train"))
    assert document["page"] == "train" and document["format"] == "softviz-settings"
    assert set(document["settings"]) == {f.name for f in fields(DEFAULTS)}
    assert document["settings"]["lr"] == 0.5
    assert page_of_json(to_json(DEFAULTS, page="train")) == "train"
    assert page_of_json(to_json(DEFAULTS)) is None


def test_present_is_kept_in_files_and_urls_but_not_in_equality():
    on = replace(DEFAULTS, present=True)
    assert on == DEFAULTS  # toggling presentation must not look like a new configuration
    assert to_query(on) == {"present": "1"}
    assert from_json(to_json(on))[0].present is True


def test_a_hand_written_partial_file_is_accepted():
    s, warnings = from_json('{"settings": {"dataset": "xor", "hidden": 8, "present": true}}')
    assert (s.dataset, s.hidden, s.present, warnings) == ("xor", 8, True, [])
    assert s.lr == DEFAULTS.lr


def test_bad_values_fall_back_one_warning_each_and_echo_no_markup():
    text = json.dumps(
        {
            "settings": {
                "lr": -1,
                "head": "<b>x</b>",
                "k": [1, 2],
                "seed": None,
                "<img src=x>": 1,
                "hidden": 4,
            }
        }
    )
    s, warnings = from_json(text)
    assert s == replace(DEFAULTS, hidden=4)
    assert len(warnings) == 5
    assert all("<" not in w and ">" not in w for w in warnings)
    assert any("unknown setting" in w for w in warnings)
    assert any("not a list" in w for w in warnings)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("not json at all", "not valid JSON"),
        ('{"settings": {"lr": 0.1}', "not valid JSON"),
        ("[1, 2, 3]", "JSON object"),
        ('{"lr": 0.1}', 'no "settings" object'),
        ('{"settings": [1]}', 'no "settings" object'),
        ('{"format": "other-app", "settings": {}}', "not a softviz settings file"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        ("[" * 100_000, "at most"),
        ("[" * 10_000 + "]" * 10_000, "nested too deeply"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(text, reason):
    with pytest.raises(SettingsFileError, match=reason):
        from_json(text)


def test_the_size_limit_counts_bytes():
    padding = " " * (MAX_JSON_BYTES + 1)
    with pytest.raises(SettingsFileError, match="at most"):
        from_json('{"settings": {}}' + padding)


def test_non_finite_numbers_are_ignored_with_a_warning():
    s, warnings = from_json('{"settings": {"lr": NaN, "temperature": Infinity}}')
    assert s == DEFAULTS and len(warnings) == 2 and all("finite" in w for w in warnings)


def test_page_query_round_trips_and_bad_entries_are_dropped_with_warnings():
    text = to_json(DEFAULTS, "heads", {"z": "1,-0.5", "label": "0"})
    assert page_query_of_json(text) == ({"z": "1,-0.5", "label": "0"}, [])
    assert page_query_of_json(to_json(DEFAULTS)) == ({}, [])
    bad = json.dumps(
        {
            "settings": {},
            "page_query": {
                "z": "1,2",
                "lr": "9",
                "<x>": "1",
                "w": [1],
                "v": "9" * 201,
                "matchup": "loss",
                "n": 3,
            },
        }  # fmt: skip
    )
    query, warnings = page_query_of_json(bad)
    assert query == {"z": "1,2", "matchup": "loss"}  # lr and n are settings, not page keys
    assert len(warnings) == 5 and all("<" not in w for w in warnings)
    assert page_query_of_json('{"settings": {}, "page_query": [1]}')[1]
