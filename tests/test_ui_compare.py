"""AppTest of the /compare page: every match-up, the buttons, the URL round trip, the race."""

import pytest
from streamlit.testing.v1 import AppTest

from softviz.ui.compare import PageQuery, page_query, settings_for

SCRIPT = "from softviz.ui import compare\ncompare.render()\n"
CHARTS = {"binary": 1, "loss": 1, "kway": 1}


def app(**query: str) -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("matchup", ["binary", "loss", "kway"])
def test_each_lockstep_matchup_steps_both_networks_together(matchup):
    at = app(matchup=matchup, dataset="moons")
    assert not at.exception and metric(at, "Steps") == "0"
    assert len(at.get("plotly_chart")) == CHARTS[matchup]
    at.button(key="compare_step").click().run()
    assert metric(at, "Steps") == "1"
    at.button(key="compare_step10").click().run()
    assert not at.exception and metric(at, "Steps") == "11"
    assert len(at.get("plotly_chart")) == CHARTS[matchup]
    at.button(key="compare_reset").click().run()
    assert not at.exception and metric(at, "Steps") == "0"


def test_play_turns_into_pause_and_back():
    at = app(matchup="kway")
    at.button(key="compare_play").click().run()
    assert not at.exception and at.button(key="compare_play").label == "Pause"
    assert at.button(key="compare_step").disabled
    at.button(key="compare_play").click().run()
    assert at.button(key="compare_play").label == "Play"


def _gap(at: AppTest) -> float:
    return float(metric(at, "Largest loss gap"))


def test_matched_rates_keep_the_gap_at_rounding_level_and_shared_rates_part():
    at = app(dataset="moons", hidden="8", match="1")
    assert at.toggle(key="compare_match").value is True
    for _ in range(3):
        at.button(key="compare_step10").click().run()
    assert _gap(at) < 1e-9 and float(metric(at, "Boundary gap now")) < 1e-9
    assert "Rates matched" in " ".join(md.value for md in at.markdown)
    at.toggle(key="compare_match").set_value(False).run()
    assert "match" not in at.query_params
    for _ in range(3):
        at.button(key="compare_step10").click().run()
    assert _gap(at) > 1e-3
    assert float(metric(at, "w₁ + w₀ moved")) < 1e-12  # never moves, matched or not
    assert float(metric(at, "w₁ − w₀ vs w")) > 1e-3
    assert "One shared rate" in " ".join(md.value for md in at.markdown)


def test_image_data_show_the_test_set_probability_gap():
    at = app(match="1")
    at.button(key="compare_step10").click().run()
    assert float(metric(at, "Largest |p_a − p_b|")) < 1e-9


def test_loss_matchup_starts_confidently_wrong_and_mse_stalls():
    at = app(matchup="loss", dataset="moons", head="sigmoid")
    assert at.query_params["init"] == "3.0" and at.query_params["head"] == "sigmoid"
    start = int(metric(at, "Sure but wrong, MSE"))
    assert start == int(metric(at, "Sure but wrong, CE")) > 50
    for _ in range(5):
        at.button(key="compare_step10").click().run()
    assert int(metric(at, "Sure but wrong, MSE")) > 3 * int(metric(at, "Sure but wrong, CE"))


def test_kway_shows_a_zero_sum_softmax_and_an_example_chooser():
    at = app(matchup="kway", k="5")
    assert at.slider(key="compare_k").value == 5
    assert metric(at, "Push ÷ pull, softmax-5") == "1.00"
    assert float(metric(at, "Push ÷ pull, 5 sigmoids")) > 2
    at.number_input(key="compare_example").set_value(7).run()
    assert not at.exception
    assert "Gaussian blobs" in " ".join(md.value for md in at.markdown)


def test_controls_write_the_url_and_owned_fields_stay_with_their_matchup():
    at = app()
    at.button_group(key="compare_matchup").set_value("loss").run()
    assert at.query_params["matchup"] == "loss" and at.query_params["init"] == "3.0"
    at.number_input(key="compare_hidden").set_value(4).run()
    assert at.query_params["hidden"] == "4"
    at.button_group(key="compare_matchup").set_value("binary").run()
    assert "init" not in at.query_params and "matchup" not in at.query_params
    assert at.query_params["hidden"] == "4"
    at.toggle(key="compare_match").set_value(True).run()
    assert at.query_params["match"] == "1"


def test_each_matchup_keeps_its_own_progress_and_settings_changes_restart():
    at = app(dataset="xor")
    at.button(key="compare_step10").click().run()
    at.button_group(key="compare_matchup").set_value("kway").run()
    assert metric(at, "Steps") == "0"
    at.button_group(key="compare_matchup").set_value("binary").run()
    assert metric(at, "Steps") == "10"
    at.number_input(key="compare_seed").set_value(3).run()
    assert metric(at, "Steps") == "0"
    assert any("restarted" in info.value for info in at.info)


def test_a_link_opened_later_reseeds_the_controls():
    at = app(matchup="loss")
    at.query_params.clear()
    at.query_params["matchup"] = "race"
    at.run()
    assert at.button_group(key="compare_matchup").value == "race"


def test_a_stale_url_in_a_rerun_does_not_undo_a_newer_choice():
    """A click sent before the browser applied our last URL write carries the older address."""
    at = app(dataset="xor")
    before = {key: at.query_params[key] for key in at.query_params}
    at.number_input(key="compare_hidden").set_value(4).run()
    at.query_params.clear()
    at.query_params.update(before)  # the address bar as the browser had it a moment ago
    at.button(key="compare_step").click().run()
    assert not at.exception and metric(at, "Steps") == "1"
    assert at.number_input(key="compare_hidden").value == 4 and at.query_params["hidden"] == "4"


def test_bad_page_parameters_are_reported_and_ignored():
    at = app(matchup="banana", race_steps="5", target="2", match="yes", lr="-1")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    for key in ("matchup=banana", "race_steps=5", "target=2", "match=yes", "lr=-1"):
        assert f"Ignored {key}" in warnings
    assert at.button_group(key="compare_matchup").value == "binary"


def test_race_runs_on_the_button_and_reads_its_numbers():
    at = app(matchup="race", dataset="moons", hidden="8", race_steps="200", target="0.85")
    assert not at.exception and not at.get("plotly_chart")
    at.button(key="compare_race_run").click().run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == [f"seed {s}" for s in range(8)] + ["median"]
    # the matched racers tie seed by seed, and so do the shared-rate softmax and the 2η sigmoid
    assert table.iloc[0].tolist() == table.iloc[2].tolist()
    assert table.iloc[1].tolist() == table.iloc[3].tolist()
    verdict = next(md.value for md in at.markdown if "What the numbers say" in md.value)
    assert "exactly as many steps to 85% test accuracy as sigmoid-1 on 8 of 8 seeds." in verdict
    assert len(at.get("plotly_chart")) == 1
    at.number_input(key="compare_seed").set_value(1).run()
    assert any("press **Run the race** again" in info.value for info in at.info)


def test_weight_decay_from_a_link_is_dropped_with_a_note():
    at = app(decay="0.01")
    assert any("Weight decay is not used" in info.value for info in at.info)
    assert "decay" not in at.query_params


def test_a_race_too_costly_is_refused_with_a_message():
    at = app(matchup="race", hidden="128", batch="4096", n="5000", race_steps="600")
    assert any("could take up to about" in e.value for e in at.error)
    assert at.button(key="compare_race_run").disabled


def test_page_query_parses_and_settings_for_resets_foreign_fields():
    page, warnings = page_query({"matchup": ["race"], "race_steps": ["400"], "target": ["0.8"]})
    assert page == PageQuery("race", False, 400, 0.8) and warnings == []
    from softviz.settings import Settings

    s = settings_for("binary", Settings(init=3.0, k=5, head="sigmoid", hidden=4))
    assert (s.init, s.k, s.head, s.hidden) == (1.0, 2, "softmax", 4)
    assert settings_for("kway", Settings(k=5, init=3.0)).k == 5
