"""Two sessions trained differently never see each other's state."""

import numpy as np
from streamlit.testing.v1 import AppTest

SCRIPT = "from softviz.ui import train\ntrain.render()\n"


def steps_shown(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Steps")


def test_two_sessions_keep_their_own_networks():
    first = AppTest.from_string(SCRIPT, default_timeout=30).run()
    second = AppTest.from_string(SCRIPT, default_timeout=30).run()
    first.button(key="train_step10").click().run()
    second.button(key="train_step").click().run()
    assert (steps_shown(first), steps_shown(second)) == ("10", "1")
    w_first = first.session_state["trainer"].net.params["W2"]
    w_second = second.session_state["trainer"].net.params["W2"]
    assert w_first is not w_second and not np.allclose(w_first, w_second)
    second.button(key="train_reset").click().run()
    assert (steps_shown(first), steps_shown(second)) == ("10", "0")
