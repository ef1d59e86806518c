"""/compare in a real Chromium: every match-up steps, plays, resets; the race runs on its button."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_exception, wait_ready


def metric_value(page: Page, label: str):
    box = page.get_by_test_id("stMetric").filter(has=page.get_by_text(label, exact=True))
    return box.get_by_test_id("stMetricValue")


def click(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


@pytest.mark.parametrize(
    ("query", "charts"),
    [
        ("dataset=moons&hidden=8&match=1", 1),
        ("matchup=loss&dataset=moons", 1),
        ("matchup=kway", 1),
    ],  # fmt: skip
)
def test_each_matchup_steps_plays_pauses_and_resets(app_server, page, query, charts):
    page.goto(f"{app_server}/compare?{query}")
    wait_ready(page)
    steps = metric_value(page, "Steps")
    expect(steps).to_have_text("0")
    plots = page.locator(".js-plotly-plot")
    expect(plots).to_have_count(charts)
    before = plots.first.inner_html()
    click(page, "Step")
    expect(steps).to_have_text("1")
    wait_ready(page)
    assert plots.first.inner_html() != before
    click(page, "Step ×10")
    expect(steps).to_have_text("11")
    click(page, "Play")
    expect(steps).not_to_have_text(re.compile(r"^1?\d$"), timeout=20_000)  # past 19: playing
    click(page, "Pause")
    expect(page.get_by_role("button", name="Play", exact=True)).to_be_visible()
    wait_ready(page)
    paused_at = steps.inner_text()
    page.wait_for_timeout(600)
    assert steps.inner_text() == paused_at
    click(page, "Reset")
    expect(steps).to_have_text("0")
    expect(plots).to_have_count(charts)
    assert_no_exception(page)


def test_matched_curves_agree_and_switching_matching_off_parts_them(app_server, page):
    page.goto(f"{app_server}/compare?dataset=moons&hidden=8&match=1")
    wait_ready(page)
    click(page, "Step ×10")
    expect(metric_value(page, "Steps")).to_have_text("10")
    wait_ready(page)
    assert float(metric_value(page, "Largest loss gap").inner_text()) < 1e-9
    page.get_by_text("Match learning rates", exact=False).click()
    expect(page.get_by_text("One shared rate η", exact=False)).to_be_visible()
    wait_ready(page)
    assert "match=1" not in page.url
    click(page, "Step ×10")
    expect(metric_value(page, "Steps")).to_have_text("10")
    wait_ready(page)
    assert float(metric_value(page, "Largest loss gap").inner_text()) > 1e-3
    assert_no_exception(page)


def test_the_matchup_chooser_rewrites_the_url(app_server, page):
    page.goto(f"{app_server}/compare")
    wait_ready(page)
    page.get_by_role("radio", name="Cross-entropy vs MSE").click()
    expect(page).to_have_url(re.compile(r"matchup=loss"))
    expect(metric_value(page, "Sure but wrong, MSE")).to_be_visible()
    assert "init=3.0" in page.url
    assert_no_exception(page)


def test_the_race_runs_on_its_button_and_shows_table_plot_and_verdict(app_server, page):
    page.goto(f"{app_server}/compare?matchup=race&dataset=moons&hidden=8&race_steps=200")
    wait_ready(page)
    expect(page.get_by_text("Press Run the race", exact=False)).to_be_visible()
    click(page, "Run the race")
    verdict = page.get_by_test_id("stMarkdown").filter(has_text="What the numbers say.")
    expect(verdict).to_be_visible(timeout=30_000)
    wait_ready(page)
    assert "on 8 of 8 seeds" in verdict.inner_text()
    expect(page.get_by_test_id("stDataFrame")).to_have_count(1)
    expect(page.locator(".js-plotly-plot")).to_have_count(1)
    assert_no_exception(page)
