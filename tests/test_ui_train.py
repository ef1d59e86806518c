"""AppTest of the /train page."""

from streamlit.testing.v1 import AppTest

SCRIPT = "from softviz.ui import train\ntrain.render()\n"


def steps_shown(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Steps")


def test_step_step10_and_reset_drive_the_counter_without_exceptions():
    at = AppTest.from_string(SCRIPT, default_timeout=30).run()
    assert not at.exception and steps_shown(at) == "0"
    at.button(key="train_step").click().run()
    assert not at.exception and steps_shown(at) == "1"
    at.button(key="train_step10").click().run()
    assert steps_shown(at) == "11"
    assert len(at.get("plotly_chart")) == 2
    at.button(key="train_reset").click().run()
    assert not at.exception and steps_shown(at) == "0"


def test_play_turns_into_pause_and_back():
    at = AppTest.from_string(SCRIPT, default_timeout=30).run()
    at.button(key="train_play").click().run()
    assert not at.exception
    assert at.button(key="train_play").label == "Pause"
    assert at.button(key="train_step").disabled
    at.button(key="train_play").click().run()
    assert at.button(key="train_play").label == "Play"


def test_a_bad_url_parameter_is_reported_and_ignored():
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    at.query_params["lr"] = "banana"
    at.run()
    assert not at.exception
    assert any("Ignored lr=banana" in w.value for w in at.warning)


def test_the_app_starts_on_the_landing_page():
    at = AppTest.from_file("../app.py", default_timeout=30).run()
    assert not at.exception
    assert "label" in at.title[0].value
