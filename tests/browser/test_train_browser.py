"""The first slice in a real Chromium: open /train, click Step, see Steps and charts change."""

from playwright.sync_api import expect

from tests.browser.helpers import assert_no_exception, wait_ready


def test_step_updates_metric_and_charts(app_server, page):
    page.goto(f"{app_server}/train")
    wait_ready(page)
    steps = page.get_by_test_id("stMetric").filter(has_text="Steps")
    expect(steps.get_by_test_id("stMetricValue")).to_have_text("0")
    charts = page.locator(".js-plotly-plot")
    expect(charts).to_have_count(2)
    heat_before = page.locator(".js-plotly-plot").nth(1).inner_html()
    page.get_by_role("button", name="Step", exact=True).click()
    expect(steps.get_by_test_id("stMetricValue")).to_have_text("1")
    wait_ready(page)
    expect(charts).to_have_count(2)
    assert page.locator(".js-plotly-plot").nth(1).inner_html() != heat_before
    assert_no_exception(page)
