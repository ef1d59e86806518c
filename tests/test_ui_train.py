"""AppTest of the /train page: every control and button, the URL round trip, CSV upload."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

SCRIPT = "from softviz.ui import train\ntrain.render()\n"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def app(**query: str) -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def steps_shown(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Steps")


def infos(at: AppTest) -> str:
    return " ".join(i.value for i in at.info)


def test_step_step10_and_reset_drive_the_counter_and_the_metrics():
    at = app()
    assert not at.exception and steps_shown(at) == "0"
    labels = [m.label for m in at.metric]
    assert labels == [
        "Steps",
        "Epoch",
        "Train loss",
        "Test loss",
        "Train accuracy",
        "Test accuracy",
    ]
    at.button(key="train_step").click().run()
    assert not at.exception and steps_shown(at) == "1"
    at.button(key="train_step10").click().run()
    assert steps_shown(at) == "11"
    loss = next(m for m in at.metric if m.label == "Train loss")
    assert loss.delta and loss.delta.startswith(("-", "+"))
    assert len(at.get("plotly_chart")) >= 5  # curves, output, data, hidden, inspector (+ input)
    at.button(key="train_reset").click().run()
    assert not at.exception and steps_shown(at) == "0"


def test_play_turns_into_pause_and_back():
    at = app()
    at.button(key="train_play").click().run()
    assert not at.exception
    assert at.button(key="train_play").label == "Pause"
    assert at.button(key="train_step").disabled
    at.button(key="train_play").click().run()
    assert at.button(key="train_play").label == "Play"


CONTROLS = [
    ("selectbox", "ctl_dataset", "xor", "dataset", "xor"),
    ("slider", "ctl_noise", 0.3, "noise", "0.3"),
    ("number_input", "ctl_n", 400, "n", "400"),
    ("slider", "ctl_test", 0.4, "test", "0.4"),
    ("number_input", "ctl_seed", 7, "seed", "7"),
    ("slider", "ctl_hidden", 4, "hidden", "4"),
    ("selectbox", "ctl_activation", "tanh", "activation", "tanh"),
    ("radio", "ctl_head", "sigmoid", "head", "sigmoid"),
    ("number_input", "ctl_k", 3, "k", "3"),
    ("selectbox", "ctl_loss", "mse", "loss", "mse"),
    ("number_input", "ctl_temperature", 2.0, "temperature", "2.0"),
    ("number_input", "ctl_init", 0.5, "init", "0.5"),
    ("number_input", "ctl_lr", 0.3, "lr", "0.3"),
    ("number_input", "ctl_batch", 0, "batch", "0"),
    ("slider", "ctl_momentum", 0.9, "momentum", "0.9"),
    ("number_input", "ctl_decay", 0.01, "decay", "0.01"),
]


@pytest.mark.parametrize(("kind", "key", "value", "param", "shown"), CONTROLS)
def test_every_training_control_writes_the_url_and_restarts_with_a_note(
    kind, key, value, param, shown
):
    at = app()
    at.button(key="train_step10").click().run()
    getattr(at, kind)(key=key).set_value(value).run()
    assert not at.exception
    assert at.query_params[param] == shown
    assert "training restarted from step 0" in infos(at) and param in infos(at)
    assert steps_shown(at) == "0"
    at.button(key="train_step").click().run()
    assert not at.exception and steps_shown(at) == "1"


def test_speed_is_a_display_option_and_never_retrains():
    at = app()
    at.button(key="train_step10").click().run()
    at.slider(key="ctl_speed").set_value(10).run()
    assert not at.exception and steps_shown(at) == "10"
    assert at.query_params["speed"] == "10" and "restarted" not in infos(at)
    at.radio(key="train_gallery_order").set_value("mistakes first").run()
    assert not at.exception and steps_shown(at) == "10"


def test_new_data_draws_another_sample():
    at = app(dataset="moons")
    at.button(key="train_step").click().run()
    at.button(key="ctl_new_data").click().run()
    assert not at.exception and at.query_params["draw"] == "1"
    assert "draw 0 → 1" in infos(at) and steps_shown(at) == "0"


def test_switching_to_softmax_lifts_k_to_two():
    at = app(head="sigmoid", k="1")
    assert at.number_input(key="ctl_k").value == 1
    at.radio(key="ctl_head").set_value("softmax").run()
    assert not at.exception and at.number_input(key="ctl_k").value == 2


def test_url_settings_seed_the_sidebar():
    at = app(dataset="spiral", hidden="32", lr="0.05", head="sigmoid", k="1", speed="5")
    assert not at.exception
    assert at.selectbox(key="ctl_dataset").value == "spiral"
    assert at.slider(key="ctl_hidden").value == 32
    assert at.number_input(key="ctl_lr").value == pytest.approx(0.05)
    assert at.slider(key="ctl_speed").value == 5


def test_a_bad_url_parameter_is_reported_and_ignored():
    at = app(lr="banana")
    assert not at.exception
    assert any("Ignored lr=banana" in w.value for w in at.warning)


def test_a_csv_link_falls_back_to_the_default_with_a_note():
    at = app(dataset="csv", hidden="8")
    assert not at.exception
    assert "cannot carry it" in infos(at)
    assert at.selectbox(key="ctl_dataset").value == "object"
    assert at.slider(key="ctl_hidden").value == 8


def test_the_example_csv_trains_and_the_inspector_follows_the_pick():
    at = app()
    at.selectbox(key="ctl_dataset").set_value("csv").run()
    assert not at.exception and "Upload a CSV" in infos(at)
    download = at.get("download_button")
    assert download and "Download example" in download[0].proto.label
    at.button(key="ctl_csv_use_example").click().run()
    assert not at.exception and at.query_params["dataset"] == "csv"
    assert at.selectbox(key="ctl_csv_label").value == "passed"
    at.button(key="train_step10").click().run()
    assert steps_shown(at) == "10"
    at.radio(key="train_inspect_split").set_value("test").run()
    at.number_input(key="train_inspect_index").set_value(3).run()
    assert not at.exception
    assert any("test example #3" in m.value for m in at.markdown)
    assert any(r"\delta = \frac{\partial L}{\partial z} = (p - y)" in x.value for x in at.latex)


def test_a_good_upload_trains_and_a_bad_one_is_rejected_with_a_message():
    at = app()
    at.selectbox(key="ctl_dataset").set_value("csv").run()
    good = (EXAMPLES / "parcel_scanner.csv").read_bytes()
    at.file_uploader(key="ctl_csv_file").upload("parcels.csv", good, "text/csv").run()
    assert not at.exception and at.selectbox(key="ctl_csv_label").value == "contains_object"
    at.button(key="train_step").click().run()
    assert steps_shown(at) == "1"
    bad = b"x1,x2,label\n" + b"1,2,yes\n" * 5 + b"1,=cmd|' /C calc'!A0,no\n" * 6
    at.file_uploader(key="ctl_csv_file").upload("evil.csv", bad, "text/csv").run()
    assert not at.exception
    assert any("Row 7, column `x2`" in e.value and "not a number" in e.value for e in at.error)


def test_a_label_with_more_classes_than_outputs_asks_for_a_larger_k():
    rows = "".join(f"{i},{i % 3},{'abc'[i % 3]}\n" for i in range(30))
    at = app()
    at.selectbox(key="ctl_dataset").set_value("csv").run()
    at.file_uploader(key="ctl_csv_file").upload("three.csv", f"a,b,kind\n{rows}".encode()).run()
    assert not at.exception
    assert any("has 3 classes" in e.value and "K to 3" in e.value for e in at.error)
    at.number_input(key="ctl_k").set_value(3).run()
    assert not at.exception and steps_shown(at) == "0"


def test_divergence_is_reported_and_play_is_refused():
    at = app(lr="10", decay="1")
    at.button(key="train_step10").click().run()
    assert not at.exception
    assert any("diverged" in e.value and "lower the learning rate" in e.value for e in at.error)
    assert at.button(key="train_play").disabled


@pytest.mark.parametrize(
    "query",
    [
        {"dataset": "xor", "hidden": "0"},
        {"hidden": "0"},
        {"head": "sigmoid", "k": "1", "loss": "mse"},
    ],
)
def test_other_layouts_render(query):
    at = app(**query)
    at.button(key="train_step").click().run()
    assert not at.exception and steps_shown(at) == "1"


SUBSET = """
import streamlit as st
from softviz.ui import controls
from softviz.ui.common import write_query
s = controls.settings_ui(controls.url_settings("cmp"), fields=("dataset", "lr"), key="cmp")
write_query(s)
st.write(f"{s.dataset} {s.lr} {s.hidden}")
"""


def test_the_sidebar_serves_a_subset_of_fields_under_another_key():
    at = AppTest.from_string(SUBSET, default_timeout=30)
    at.query_params["hidden"] = "4"
    at.run()
    assert not at.exception and len(at.sidebar.selectbox) == 1
    assert [w.key for w in at.sidebar.number_input] == ["cmp_lr"]
    at.number_input(key="cmp_lr").set_value(0.5).run()
    assert at.markdown[0].value == "object 0.5 4"
    assert at.query_params["lr"] == "0.5" and at.query_params["hidden"] == "4"


def test_the_app_starts_on_the_landing_page():
    at = AppTest.from_file("../app.py", default_timeout=30).run()
    assert not at.exception
    assert "label" in at.title[0].value


@pytest.mark.parametrize(
    ("query", "pictures"),
    [
        ({}, 4),
        ({"dataset": "moons"}, 4),
        ({"hidden": "0"}, 3),
        ({"dataset": "xor", "hidden": "0"}, 3),
    ],
)
def test_play_draws_light_pictures_and_pause_brings_the_charts_back(query, pictures):
    at = app(**query)
    at.button(key="train_step").click().run()
    charts = len(at.get("plotly_chart"))
    at.button(key="train_play").click().run()
    assert not at.exception
    shown = [img for element in at.get("image") for img in element.proto.imgs]
    assert len(shown) == pictures  # curves, output layer, data, hidden layer (if any)
    assert all(img.url.startswith("data:image/svg+xml;base64,") for img in shown)
    assert len(at.get("plotly_chart")) == 0
    assert any("Pause for the interactive charts" in c.value for c in at.caption)
    at.button(key="train_play").click().run()
    assert not at.get("image") and len(at.get("plotly_chart")) == charts


def test_a_stale_url_in_a_rerun_does_not_undo_a_newer_choice():
    """A click sent before the browser applied our last URL write carries the older address."""
    at = app(lr="0.19")
    at.number_input(key="ctl_lr").set_value(0.3).run()
    at.button(key="train_step10").click().run()
    at.query_params["lr"] = "0.19"  # the address bar as the browser had it a moment ago
    at.button(key="train_step").click().run()
    assert not at.exception and steps_shown(at) == "11" and "restarted" not in infos(at)
    assert at.number_input(key="ctl_lr").value == pytest.approx(0.3)
    assert at.query_params["lr"] == "0.3"


# /train, or another page: a full run that draws none of /train's widgets, after which
# Streamlit drops their state, as it does when a session visits another page of the app.
AWAY_SCRIPT = """
import streamlit as st
from softviz.ui import common, train
if st.session_state.get("away"):
    common.run_page("heads", lambda: st.write("another page"))
else:
    common.run_page("train", train.render)
"""


def leave_and_come_back(at: AppTest, query: dict[str, str]) -> AppTest:
    at.session_state["away"] = True
    at.run()
    at.session_state["away"] = False
    for name in list(at.query_params):
        del at.query_params[name]
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def test_coming_back_from_another_page_keeps_the_settings_and_the_training():
    """The sidebar's link back carries no settings: the session's own come back."""
    at = AppTest.from_string(AWAY_SCRIPT, default_timeout=60)
    at.query_params.update(seed="3", lr="0.19", hidden="8")
    at.run()
    at.button(key="train_step10").click().run()
    leave_and_come_back(at, {})
    assert not at.exception and steps_shown(at) == "10" and "restarted" not in infos(at)
    assert at.number_input(key="ctl_lr").value == pytest.approx(0.19)
    assert at.slider(key="ctl_hidden").value == 8
    assert {name: at.query_params[name] for name in at.query_params} == {
        "seed": "3",
        "lr": "0.19",
        "hidden": "8",
    }


def test_a_link_with_settings_still_replaces_them_on_coming_back():
    at = AppTest.from_string(AWAY_SCRIPT, default_timeout=60)
    at.query_params["lr"] = "0.19"
    at.run()
    at.button(key="train_step10").click().run()
    leave_and_come_back(at, {"lr": "0.05"})  # e.g. a tour step's "Open this view"
    assert not at.exception and steps_shown(at) == "0" and "lr 0.19 → 0.05" in infos(at)
    assert at.number_input(key="ctl_lr").value == pytest.approx(0.05)


def test_an_uploaded_csv_and_its_label_survive_another_page():
    at = AppTest.from_string(AWAY_SCRIPT, default_timeout=60).run()
    at.selectbox(key="ctl_dataset").set_value("csv").run()
    rows = "".join(f"{i % 7},{i % 5},{i % 2},{i % 3 == 0:d}\n" for i in range(40))
    at.file_uploader(key="ctl_csv_file").upload("two.csv", f"x,y,kind,flag\n{rows}".encode()).run()
    assert at.selectbox(key="ctl_csv_label").value != "kind"
    at.selectbox(key="ctl_csv_label").set_value("kind").run()
    at.button(key="train_step10").click().run()
    leave_and_come_back(at, {})
    assert not at.exception and steps_shown(at) == "10" and "restarted" not in infos(at)
    assert at.selectbox(key="ctl_csv_label").value == "kind"
    at.button(key="train_step").click().run()
    assert not at.exception and steps_shown(at) == "11"
