"""Settings ↔ query parameters: round trips and fallbacks with warnings."""

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from softviz.settings import BOUNDS, CHOICES, DEFAULTS, from_query, to_query


def test_defaults_give_an_empty_query():
    assert to_query(DEFAULTS) == {}
    assert from_query({}) == (DEFAULTS, [])


@given(
    dataset=st.sampled_from(CHOICES["dataset"]),
    head=st.sampled_from(CHOICES["head"]),
    k=st.integers(2, 10),
    lr=st.floats(*BOUNDS["lr"]),
    seed=st.integers(*map(int, BOUNDS["seed"])),
    temperature=st.floats(*BOUNDS["temperature"]),
    present=st.booleans(),
)
def test_round_trip(dataset, head, k, lr, seed, temperature, present):
    s = replace(DEFAULTS, dataset=dataset, head=head, k=k, lr=lr, seed=seed,
                temperature=temperature, present=present)  # fmt: skip
    assert from_query(to_query(s)) == (s, [])


def test_bad_values_fall_back_with_a_warning_that_echoes_no_markup():
    s, warnings = from_query(
        {"lr": "-3", "head": "<script>alert(1)</script>", "k": "2.5", "seed": "nan", "x": "y"}
    )
    assert s == DEFAULTS
    assert len(warnings) == 4
    assert all("<" not in w and ">" not in w for w in warnings)


def test_repeated_keys_take_the_last_value_and_softmax_needs_two_outputs():
    s, warnings = from_query({"k": ["5", "1"], "head": "softmax"})
    assert s.k == 2 and "at least 2 outputs" in warnings[0]
    s, warnings = from_query({"k": "1", "head": "sigmoid"})
    assert (s.k, s.head, warnings) == (1, "sigmoid", [])


def test_warnings_never_echo_the_raw_value_through_an_error_message():
    _, warnings = from_query({"lr": "[x](javascript:alert(1))", "k": "<b>"})
    assert all("(" not in w.split("(", 1)[1].split(")")[0] for w in warnings)
    assert all("javascript:" not in w and "<b>" not in w for w in warnings)
