"""/train in a real Chromium: Step, Step ×10, Play, Pause, Reset change Steps and the charts."""

import re

from playwright.sync_api import expect

from tests.browser.helpers import assert_no_exception, wait_ready


def test_step_play_pause_reset(app_server, page):
    page.goto(f"{app_server}/train")
    wait_ready(page)
    steps = page.get_by_test_id("stMetric").filter(has_text="Steps")
    value = steps.get_by_test_id("stMetricValue")
    expect(value).to_have_text("0")
    charts = page.locator(".js-plotly-plot")
    expect(charts).to_have_count(2)
    heat_before = charts.nth(1).inner_html()
    page.get_by_role("button", name="Step", exact=True).click()
    expect(value).to_have_text("1")
    wait_ready(page)
    expect(charts).to_have_count(2)
    assert charts.nth(1).inner_html() != heat_before
    page.get_by_role("button", name="Step ×10", exact=True).click()
    expect(value).to_have_text("11")
    page.get_by_role("button", name="Play", exact=True).click()
    expect(value).not_to_have_text(re.compile(r"^1?\d$"), timeout=15_000)  # past 19: playing
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.get_by_role("button", name="Play", exact=True)).to_be_visible()
    wait_ready(page)
    paused_at = value.inner_text()
    page.wait_for_timeout(600)
    assert value.inner_text() == paused_at
    page.get_by_role("button", name="Reset", exact=True).click()
    expect(value).to_have_text("0")
    assert_no_exception(page)
