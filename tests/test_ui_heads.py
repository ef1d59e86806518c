"""AppTest of the /heads page: every control, the URL round trip, bad input, extreme values.

Numbers on the page are checked against a softmax/sigmoid written out here with plain NumPy.
"""

import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from softviz import claims
from softviz.ui import heads as page

SCRIPT = "from softviz.ui import heads\nheads.render()\n"


def run(**query: str) -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def charts(at: AppTest) -> dict[str, dict]:
    """Every Plotly chart's figure spec, by its key."""
    return {c.key: json.loads(c.proto.spec) for c in at.get("plotly_chart")}


def array(value) -> np.ndarray:
    """A trace's data as an array: Plotly sends NumPy arrays as typed base64 ("bdata")."""
    if isinstance(value, dict) and "bdata" in value:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")
        if isinstance(shape, str):
            shape = [int(n) for n in shape.split(",")]
        return flat.reshape(shape) if shape else flat
    return np.array(value, dtype=object)


def data(at: AppTest, key: str, axis: str, trace: int = 0) -> np.ndarray:
    return array(charts(at)[key]["data"][trace][axis]).astype(float)


def bars(at: AppTest, head: str) -> np.ndarray:
    return data(at, f"p_{head}", "y")


def jacobian(at: AppTest, head: str) -> np.ndarray:
    return data(at, f"jacobian_{head}", "z")


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max())
    return e / e.sum()


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def latex(at: AppTest) -> str:
    return "\n".join(element.value for element in at.latex)


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return "\n".join(parts + [w.value for w in at.warning] + [i.value for i in at.info])


def test_default_view_shows_both_heads_from_the_default_logits():
    at = run()
    assert not at.warning
    z = np.array(page.DEFAULT_LOGITS[:2])
    np.testing.assert_allclose(bars(at, "softmax"), softmax(z), atol=1e-12)
    np.testing.assert_allclose(bars(at, "sigmoid"), sigmoid(z), atol=1e-12)
    p = softmax(z)
    np.testing.assert_allclose(jacobian(at, "softmax"), np.diag(p) - np.outer(p, p), atol=1e-12)
    np.testing.assert_allclose(jacobian(at, "sigmoid"), np.diag(sigmoid(z) * (1 - sigmoid(z))))
    expected = {
        "p_sigmoid",
        "p_softmax",
        "jacobian_sigmoid",
        "jacobian_softmax",
        "chain_JT",
        "chain_dL_dz",
        "two_way",
        "gradient_sweep",
        "claim_diagonal",
        "claim_signs",
    }
    assert expected <= set(charts(at))
    assert at.query_params == {}  # defaults write nothing


def test_both_jacobians_share_one_colour_scale_centred_at_zero():
    at = run(z="3,-1,0.5", k="3")
    specs = charts(at)
    limits = [specs[f"jacobian_{h}"]["data"][0]["zmax"] for h in ("sigmoid", "softmax")]
    assert limits[0] == limits[1]
    for head in ("sigmoid", "softmax"):
        trace = specs[f"jacobian_{head}"]["data"][0]
        assert trace["zmin"] == -trace["zmax"] and trace["zmid"] == 0


def test_moving_k_adds_logit_sliders_and_grows_the_jacobians():
    at = run()
    at.slider(key="heads_k").set_value(5).run()
    assert not at.exception
    assert [s.key for s in at.slider if s.key.startswith("heads_z")] == [
        f"heads_z{i}" for i in range(5)
    ]
    assert jacobian(at, "softmax").shape == (5, 5)
    assert at.query_params["k"] == "5"
    np.testing.assert_allclose(bars(at, "softmax"), softmax(np.array(page.DEFAULT_LOGITS[:5])))


def test_moving_a_logit_updates_probabilities_jacobian_and_url():
    at = run()
    before = jacobian(at, "softmax")
    at.slider(key="heads_z1").set_value(2.0).run()
    assert not at.exception
    z = np.array([page.DEFAULT_LOGITS[0], 2.0])
    np.testing.assert_allclose(bars(at, "softmax"), softmax(z), atol=1e-12)
    assert not np.allclose(jacobian(at, "softmax"), before)
    assert at.query_params["z"] == "1,2"


def test_randomise_then_reset():
    at = run()
    at.button(key="heads_randomise").click().run()
    assert not at.exception
    z = [at.slider(key=f"heads_z{i}").value for i in range(2)]
    assert all(-50 <= v <= 50 for v in z)
    if tuple(z) != page.DEFAULT_LOGITS[:2]:  # (a random draw of exactly the defaults: ~1e-4)
        assert at.query_params["z"] == ",".join(f"{v:g}" for v in z)
    at.button(key="heads_reset").click().run()
    assert [at.slider(key=f"heads_z{i}").value for i in range(2)] == [1.0, -0.5]
    assert "z" not in at.query_params


def test_temperature_divides_the_logits():
    at = run()
    at.select_slider(key="heads_temperature").set_value(2.0).run()
    assert not at.exception and at.query_params["temperature"] == "2.0"
    z = np.array(page.DEFAULT_LOGITS[:2])
    np.testing.assert_allclose(bars(at, "softmax"), softmax(z / 2.0), atol=1e-12)
    p = softmax(z / 2.0)
    np.testing.assert_allclose(jacobian(at, "softmax"), (np.diag(p) - np.outer(p, p)) / 2.0)


def test_the_label_sets_the_target_and_cross_entropy_gives_p_minus_y():
    at = run()
    at.radio(key="heads_label").set_value("no").run()
    assert not at.exception and at.query_params["label"] == "0"
    dL_dz = data(at, "chain_dL_dz", "z")[:, 0]
    p = softmax(np.array(page.DEFAULT_LOGITS[:2]))
    np.testing.assert_allclose(dL_dz, p - np.array([1.0, 0.0]), atol=1e-12)
    assert "class 0" in texts(at)


def test_the_object_class_selector_appears_for_k_above_two():
    at = run(k="4")
    at.selectbox(key="heads_object").set_value(3).run()
    assert not at.exception and at.query_params["object"] == "3"
    y = data(at, "chain_target y", "z")[:, 0]
    np.testing.assert_array_equal(y, [0, 0, 0, 1])
    at.slider(key="heads_k").set_value(2).run()  # object 3 no longer exists
    assert not at.exception and "object" not in at.query_params


def test_mse_keeps_the_jacobian_factor_and_warns_when_confidently_wrong():
    at = run(z="4,-4")
    at.radio(key="heads_loss").set_value("mse").run()
    assert not at.exception and at.query_params["loss"] == "mse"
    assert r"J^\top (p - y)" in latex(at)
    p = softmax(np.array([4.0, -4.0]))
    y = np.array([0.0, 1.0])
    J = np.diag(p) - np.outer(p, p)
    dL_dz = data(at, "chain_dL_dz", "z")[:, 0]
    np.testing.assert_allclose(dL_dz, J.T @ (p - y), atol=1e-12)
    assert any("Confidently wrong" in w.value for w in at.warning)


def test_the_head_choice_switches_the_way_back():
    at = run(z="0.5,-0.5")
    at.radio(key="heads_head").set_value("sigmoid").run()
    assert not at.exception and at.query_params["head"] == "sigmoid"
    JT = data(at, "chain_JT", "z")
    assert np.count_nonzero(JT - np.diag(np.diag(JT))) == 0
    assert r"\log(1 - p_k)" in latex(at)


def test_the_sweep_selector_moves_the_marked_point():
    at = run(z="1,-2")
    at.selectbox(key="heads_sweep").set_value(0).run()
    assert not at.exception and at.query_params["sweep"] == "0"
    spec = charts(at)["gradient_sweep"]
    marker = next(t for t in spec["data"] if t.get("mode") == "markers")
    assert list(array(marker["x"]).astype(float)) == [1.0]
    assert "z0" in spec["layout"]["xaxis"]["title"]["text"]


def test_remeasure_times_the_heads_again(monkeypatch):
    calls = []
    real = claims.time_heads

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, repeats=1, min_time=1e-4)

    monkeypatch.setattr(claims, "time_heads", counting)
    at = run()
    before = len(calls)
    at.button(key="heads_remeasure").click().run()
    assert not at.exception
    assert len(calls) == before + 1
    table = at.table[0].value
    assert list(table["K"]) == ["2", "2", "1000", "1000"]
    assert all(v.endswith("×") for v in table["softmax / sigmoid"])


def test_claims_panel_states_the_verdicts_with_live_numbers():
    at = run(z="1,-0.5,0.3", k="3")
    text = texts(at)
    check = claims.check_diagonal([1.0, -0.5, 0.3])
    assert "Wrong." in text and page.num(check.error_as_written) in text
    assert "3 of 3 diagonal entries > 0, 6 of 6 off-diagonal entries < 0" in text
    link = next(m.value for m in at.markdown if "/compare" in m.value)
    assert "](/compare" in link
    assert "matchup=race" in link


def test_two_way_case_shows_the_identity_with_numbers():
    at = run(z="0.2,1.7")
    q = sigmoid(np.array(1.5))
    assert page.tex(float(q)) in latex(at)
    curves = [data(at, "two_way", "y", trace) for trace in (0, 1)]
    np.testing.assert_allclose(curves[0], curves[1], atol=1e-15)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"z": "abc,1e9"}, ["Ignored z0=abc", "z1=1e9 set to 50"]),
        ({"z": "1,2,3", "k": "2"}, ["z has 3 values but K=2"]),
        ({"k": "1", "head": "sigmoid"}, ["using k=2"]),
        ({"label": "7"}, ["Ignored label=7"]),
        ({"label": "inf", "sweep": "nan"}, ["Ignored label=inf", "Ignored sweep=nan"]),
        ({"object": "99", "k": "3"}, ["Ignored object=99"]),
        ({"sweep": "-1"}, ["Ignored sweep=-1"]),
        ({"temperature": "banana"}, ["Ignored temperature=banana"]),
        ({"z": "<script>"}, ["Ignored z0=?script?"]),
    ],
)
def test_bad_url_values_fall_back_with_a_visible_warning(query, expected):
    at = run(**query)
    shown = " | ".join(w.value for w in at.warning)
    for fragment in expected:
        assert fragment in shown
    assert "<script>" not in shown


def test_a_link_reproduces_the_view_and_the_url_wins_over_old_widget_state():
    at = run(k="3", z="2,-1,0.5", label="0", loss="mse", temperature="0.5", head="sigmoid")
    assert at.slider(key="heads_k").value == 3
    assert [at.slider(key=f"heads_z{i}").value for i in range(3)] == [2.0, -1.0, 0.5]
    assert at.radio(key="heads_label").value == "no"
    assert at.select_slider(key="heads_temperature").value == 0.5
    at.query_params["z"] = "-3,0,1"  # a new link opened in the same session
    at.run()
    assert [at.slider(key=f"heads_z{i}").value for i in range(3)] == [-3.0, 0.0, 1.0]


def test_a_temperature_between_the_slider_stops_is_kept_exactly():
    at = run(temperature="0.3", z="0.6,0")
    assert not at.warning
    assert at.select_slider(key="heads_temperature").value == 0.3
    np.testing.assert_allclose(bars(at, "softmax"), softmax(np.array([2.0, 0.0])), atol=1e-12)
    assert at.query_params["temperature"] == "0.3"


def test_a_stale_url_from_a_fast_slider_does_not_undo_the_newer_value():
    at = run()
    at.slider(key="heads_z1").set_value(2.0).run()
    assert at.query_params["z"] == "1,2"
    # The next rerun's request still carries the address bar from before that write.
    at.query_params.clear()
    at.slider(key="heads_z1").set_value(3.0).run()
    assert not at.exception
    assert at.slider(key="heads_z1").value == 3.0 and at.query_params["z"] == "1,3"


def test_extreme_logits_and_temperature_give_finite_pictures():
    z = ",".join(["50", "-50"] * 5)
    at = run(k="10", temperature="0.05", z=z, object="3")
    for key, spec in charts(at).items():
        for trace in spec["data"]:
            for axis in ("x", "y", "z"):
                values = array(trace.get(axis, [])).ravel()
                numbers = [v for v in values if not isinstance(v, str)]
                assert None not in numbers, key
                assert np.all(np.isfinite(np.array(numbers, dtype=float))), key
    assert "nan" not in latex(at).lower() and "inf" not in latex(at).lower()
    assert "Saturated" in texts(at)
    assert at.select_slider(key="heads_temperature").value == 0.05
