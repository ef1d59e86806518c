"""/heads in a real Chromium: move a logit slider with the keyboard, watch the Jacobian redraw."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import assert_no_exception, wait_ready


def test_moving_a_logit_slider_redraws_the_jacobian_and_the_url(app_server, page):
    page.goto(f"{app_server}/heads")
    wait_ready(page)
    jacobian = page.locator(".st-key-jacobian_softmax .js-plotly-plot")
    expect(jacobian).to_have_count(1)
    # z = (1, -0.5): p = (0.818, 0.182), q = p0 p1 = 0.149 in every cell (signs aside).
    expect(jacobian).to_contain_text("0.149")
    # The thumb is an <input type="range">: role "slider", focusable, moved by arrow keys.
    thumb = page.locator(".st-key-heads_z1").get_by_role("slider")
    thumb.focus()
    for _ in range(5):  # five steps of 0.1: z1 = -0.5 → 0
        thumb.press("ArrowRight")
    # z = (1, 0): p = (0.731, 0.269), q = 0.197. (While a rerun replaces the chart, the old
    # one can linger for a moment, so wait for the new values, then for the rerun's end.)
    expect(jacobian.filter(has_text="0.197")).to_have_count(1, timeout=15_000)
    page.wait_for_url(re.compile(r"z=1(,|%2C)0(&|$)"))
    wait_ready(page)
    expect(jacobian).to_have_count(1)
    expect(jacobian).not_to_contain_text("0.149")
    assert_no_exception(page)


def test_extreme_values_render_without_an_exception(app_server, page):
    z = ",".join(["50", "-50"] * 5)
    page.goto(f"{app_server}/heads?k=10&temperature=0.05&z={z}&object=3")
    wait_ready(page)
    expect(page.locator(".st-key-jacobian_softmax .js-plotly-plot")).to_have_count(1)
    expect(page.get_by_text("Saturated:", exact=False).first).to_be_visible()
    assert_no_exception(page)
