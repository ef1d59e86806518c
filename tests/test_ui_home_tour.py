"""AppTest of the landing page, the tour, presentation mode and the share panel."""

import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from softviz.settings import DEFAULTS, from_query, to_json
from softviz.tour_steps import STEPS
from softviz.ui import compare, heads
from softviz.ui.share import read_settings_file

HOME = "from softviz.ui import home\nhome.render()\n"
TOUR = "from softviz.ui import tour\ntour.render()\n"
TRAIN = "from softviz.ui import train\ntrain.render()\n"


def run(script: str, **query: str) -> AppTest:
    at = AppTest.from_string(script, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def decode(array) -> np.ndarray:
    """A Plotly JSON array: a plain list, or a typed array {"dtype", "bdata", "shape"}."""
    if not isinstance(array, dict):
        return np.array(array, dtype=float)
    flat = np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
    shape = [int(n) for n in str(array.get("shape", len(flat))).split(",")]
    return flat.reshape(shape).astype(float)


def styled(at: AppTest) -> bool:
    """Whether the presentation CSS was sent (the only st.html any of these pages draws)."""
    return any("stMainBlockContainer" in el.proto.body for el in at.get("html"))


# --- landing page -------------------------------------------------------------------------


def test_landing_page_tells_the_story_and_leads_into_the_app():
    at = run(HOME)
    assert not at.exception
    assert "label" in at.title[0].value
    assert len(at.get("plotly_chart")) == 1  # the picture of the network learning
    story = at.markdown[0].value
    assert story.count(". ") + story.count("? ") >= 2  # three sentences
    caption = " ".join(c.value for c in at.caption)
    assert "after 100 SGD steps" in caption and "test accuracy" in caption
    # Ways in: pages of this build open in place; paths it lacks are plain links.
    pages = {el.proto.page for el in at.get("page_link")}
    hrefs = " ".join(m.value for m in at.markdown)
    assert {"tour", "train"} <= pages
    for way in ("heads", "compare"):
        assert way in pages or f"](/{way})" in hrefs


def test_the_landing_picture_shows_the_gradient_of_the_examples_it_shows():
    at = run(HOME)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    heatmaps = [trace for trace in spec["data"] if trace["type"] == "heatmap"]
    assert len(heatmaps) == 3 * 5 + 2  # 3 examples × (x, h, p, y, p − y), ∂L/∂W2, its legend

    def cells(name: str) -> list[np.ndarray]:
        return [decode(t["z"]) for t in heatmaps if name in t["customdata"][0][0]]

    h = np.hstack(cells(": h")).T  # (3, H): each example's column of hidden units
    p, y = np.hstack(cells(": p0")).T, np.hstack(cells(": y0")).T
    error = np.hstack(cells("p − y")).T
    (grad,) = cells("∂L/∂W2")
    np.testing.assert_allclose(error, p - y, atol=1e-12)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    # ∂L/∂W2 = mean over the drawn examples of (p − y) hᵀ: the arrows tell the truth.
    np.testing.assert_allclose(grad, np.einsum("nk,nh->kh", error, h) / len(h), atol=1e-12)


# --- tour ---------------------------------------------------------------------------------


def test_tour_has_8_to_12_steps_from_sigmoid_to_mse():
    assert 8 <= len(STEPS) <= 12
    titles = " | ".join(step.title.lower() for step in STEPS)
    for topic in ("sigmoid", "softmax", "jacobian", "p − y", "2-way softmax is a sigmoid", "mse"):
        assert topic in titles or topic in " ".join(s.text.lower() for s in STEPS), topic
    order = [titles.index(t) for t in ("sigmoid", "jacobian", "p − y", "2-way", "squared")]
    assert order == sorted(order)


def test_every_link_of_the_tour_is_a_valid_preset_of_a_lab():
    for step in STEPS:
        assert step.links, step.title
        for link in step.links:
            assert link.path in {"heads", "train", "compare"}
            query = dict(link.query)
            settings, warnings = from_query(query)
            if link.path == "compare":  # the page's own keys, checked by the page's parser
                warnings += compare.page_query(query)[1]
            if link.path == "heads":
                warnings += heads.parse_lab(settings, query)[1]
            assert warnings == [], (step.title, link.label, warnings)
    compare_links = [link for step in STEPS for link in step.links if link.path == "compare"]
    assert {dict(link.query).get("matchup", "binary") for link in compare_links} >= {
        "binary",
        "loss",
    }


def test_next_and_back_change_the_step_and_the_url():
    at = run(TOUR)
    assert at.query_params["step"] == "1" and at.title[0].value == STEPS[0].title
    assert at.button(key="tour_back").disabled
    at.button(key="tour_next").click().run()
    assert at.query_params["step"] == "2" and at.title[0].value == STEPS[1].title
    at.button(key="tour_next").click().run()
    assert at.query_params["step"] == "3"
    at.button(key="tour_back").click().run()
    assert at.query_params["step"] == "2" and at.title[0].value == STEPS[1].title
    assert not at.exception


def test_a_link_opens_its_step_and_the_last_step_has_no_next():
    at = run(TOUR, step=str(len(STEPS)))
    assert at.title[0].value == STEPS[-1].title
    assert at.button(key="tour_next").disabled and not at.button(key="tour_back").disabled


@pytest.mark.parametrize("bad", ["0", "99", "abc", "-2", "3.5", "<b>1</b>"])
def test_a_bad_step_falls_back_to_step_one_with_a_warning(bad):
    at = run(TOUR, step=bad)
    assert not at.exception
    assert at.title[0].value == STEPS[0].title and at.query_params["step"] == "1"
    assert any("Ignored step=" in w.value for w in at.warning)
    assert all("<" not in w.value for w in at.warning)


@pytest.mark.parametrize("number", range(1, len(STEPS) + 1))
def test_every_step_draws_its_live_view_without_errors(number):
    at = run(TOUR, step=str(number))
    assert not at.exception
    assert at.title[0].value == STEPS[number - 1].title
    assert len(at.get("plotly_chart")) >= (1 if STEPS[number - 1].view else 0)


def test_tour_keeps_other_settings_in_the_url():
    at = run(TOUR, step="4", seed="7")
    assert at.query_params["seed"] == "7" and at.query_params["step"] == "4"


# --- presentation mode --------------------------------------------------------------------


def test_presentation_toggle_writes_present_to_the_url_and_styles_the_page():
    at = run(HOME)
    assert not styled(at) and "present" not in at.query_params
    at.toggle(key="present_toggle").set_value(True).run()
    assert at.query_params["present"] == "1" and styled(at)
    at.toggle(key="present_toggle").set_value(False).run()
    assert "present" not in at.query_params and not styled(at)
    at.run()  # and it stays off
    assert not styled(at) and not at.exception


def test_present_1_in_the_url_turns_presentation_on_and_the_toggle_can_turn_it_off():
    at = run(TOUR, present="1", step="2")
    assert styled(at) and at.toggle(key="present_toggle").value
    at.toggle(key="present_toggle").set_value(False).run()
    assert not styled(at) and "present" not in at.query_params
    assert at.query_params["step"] == "2"


def test_presentation_carries_the_present_flag_into_lab_links():
    at = run(TOUR, present="1", step="8")
    links = [el.proto for el in at.get("page_link")]
    assert [link.page for link in links] == ["train"]
    assert links[0].query_string == "dataset=xor&hidden=8&lr=0.5&present=1"


def test_presentation_enlarges_charts():
    plain = json.loads(run(TOUR, step="2").get("plotly_chart")[0].proto.spec)
    big = json.loads(run(TOUR, step="2", present="1").get("plotly_chart")[0].proto.spec)
    assert big["layout"]["height"] > plain["layout"]["height"]
    assert big["data"][0]["line"]["width"] > plain["data"][0]["line"]["width"]
    assert big["layout"]["font"]["size"] >= 18


def test_toggling_presentation_does_not_restart_training():
    at = run(TRAIN)
    at.button(key="train_step").click().run()
    at.toggle(key="present_toggle").set_value(True).run()
    assert not at.exception and styled(at)
    assert next(m.value for m in at.metric if m.label == "Steps") == "1"
    assert not any("restarted" in i.value for i in at.info)


# --- share panel --------------------------------------------------------------------------


def test_share_panel_shows_the_link_with_the_query_and_offers_the_files():
    at = run(TOUR, step="3", lr="0.5")
    assert at.code[0].value.endswith("?lr=0.5&step=3")
    labels = [el.proto.label for el in at.get("download_button")]
    assert "Settings (JSON)" in labels
    assert at.get("file_uploader")


def test_reading_settings_files():
    loaded = read_settings_file(to_json(DEFAULTS, "heads", {"z": "1,-2", "label": "0"}).encode())
    assert loaded.settings == DEFAULTS and loaded.page == "heads" and loaded.messages == []
    assert loaded.page_query == {"z": "1,-2", "label": "0"}
    loaded = read_settings_file(b"{not json")
    assert loaded.settings is None and "not valid JSON" in loaded.messages[0]
    loaded = read_settings_file(b" " * 30_000)
    assert loaded.settings is None and "KiB" in loaded.messages[0]
    loaded = read_settings_file(b'{"settings": {"lr": "fast"}}')
    assert loaded.settings == DEFAULTS and loaded.page is None
    assert "Ignored lr=fast" in loaded.messages[0]


def test_trainer_downloads_render_three_buttons():
    script = (
        "from softviz.settings import Settings\nfrom softviz.training import Trainer\n"
        "from softviz.ui.share import trainer_downloads\n"
        "t = Trainer(Settings(dataset='xor', hidden=4))\nt.step(3)\ntrainer_downloads(t)\n"
    )
    at = run(script)
    assert not at.exception
    labels = [el.proto.label for el in at.get("download_button")]
    assert labels == ["History (CSV)", "Weights (NPZ)", "Weights (JSON)"]


# The tour, or another page (a full run without the tour's widgets), through run_page as
# app.py runs every page.
TOUR_OR_AWAY = """
import streamlit as st
from softviz.ui import common, tour
if st.session_state.get("away"):
    common.run_page("train", lambda: st.write("another page"))
else:
    common.run_page("tour", tour.render)
"""


def test_a_page_left_and_reentered_by_a_bare_link_gets_its_query_back():
    at = run(TOUR_OR_AWAY, step="5", seed="3", present="1")
    at.session_state["away"] = True
    at.query_params.clear()
    at.run()
    at.session_state["away"] = False
    at.run()  # the sidebar's link back: no query
    assert not at.exception and at.title[0].value == STEPS[4].title
    assert at.query_params["step"] == "5" and at.query_params["seed"] == "3"
    at.query_params.clear()
    at.run()  # on the page already: an empty URL is not a return, nothing to bring back
    assert at.title[0].value == STEPS[0].title and at.query_params["step"] == "1"


def test_a_link_with_a_query_wins_over_the_remembered_one():
    at = run(TOUR_OR_AWAY, step="5")
    at.session_state["away"] = True
    at.query_params.clear()
    at.run()
    at.session_state["away"] = False
    at.query_params["step"] = "2"
    at.run()
    assert not at.exception and at.title[0].value == STEPS[1].title
