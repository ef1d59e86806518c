"""Hostile query parameters on every page (issue 8): never an exception, a visible warning for
every contract value that was ignored, and nothing a visitor typed is ever rendered as HTML."""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from softviz.settings import from_query

PAGES = ("home", "tour", "heads", "train", "compare")
MARKER = "<script>xss</script>"
KEYS = ("dataset", "head", "k", "loss", "hidden", "activation", "lr", "batch", "seed",
        "temperature", "noise", "present", "momentum", "decay", "n", "init", "speed", "test",
        "draw", "step", "z", "label", "object", "sweep", "matchup", "match", "race_steps",
        "target", "unknown")  # fmt: skip
NASTY = st.one_of(
    st.text(max_size=30),
    st.sampled_from([MARKER, "nan", "inf", "-inf", "1e308", "-1e308", "1e-320", "", " ",
                     "0x10", "１", "=cmd|' /C calc'!A0", "[a](javascript:alert(1))", "**b**",
                     "1,2,3,4,5,6,7,8,9,10,11", "nan,nan", "50,-50", "99999999999999999999"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**30), 10**30).map(str),
)  # fmt: skip
QUERIES = st.dictionaries(st.sampled_from(KEYS), st.lists(NASTY, min_size=1, max_size=3),
                          max_size=6)  # fmt: skip


def page_run(page: str, query: dict[str, list[str]]) -> AppTest:
    at = AppTest.from_string(f"from softviz.ui import {page}\n{page}.render()\n",
                             default_timeout=60)  # fmt: skip
    for key, values in query.items():
        at.query_params[key] = values
    return at.run()


def rendered_html(at: AppTest) -> list[str]:
    """Every piece of the page that the browser would render as HTML."""
    pieces = [el.proto.body for el in at.markdown if el.proto.allow_html]
    return pieces + [el.proto.body for el in at.get("html")]


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=QUERIES)
def test_hostile_queries_never_break_a_page(page, query):
    at = page_run(page, query)
    assert not at.exception, (query, at.exception)
    assert not any(MARKER in piece for piece in rendered_html(at))
    _, warnings = from_query(query)
    if warnings:  # what the settings parser ignored is said on the page
        shown = " ".join(w.value for w in at.warning) + " ".join(i.value for i in at.info)
        assert shown, (query, warnings)


@pytest.mark.parametrize("page", PAGES)
def test_a_script_in_every_contract_key_is_ignored_with_a_warning(page):
    query = {key: [MARKER] for key in KEYS}
    at = page_run(page, query)
    assert not at.exception
    assert at.warning, "ignored values must be reported"
    assert not any(MARKER in piece for piece in rendered_html(at))
    assert all("<script" not in w.value for w in at.warning)


def test_non_finite_numbers_never_reach_the_settings():
    for raw in ("nan", "inf", "-inf", "1e400"):
        settings_, warnings = from_query({"lr": raw, "temperature": raw, "noise": raw})
        assert all(math.isfinite(v) for v in (settings_.lr, settings_.temperature))
        assert len(warnings) == 3
