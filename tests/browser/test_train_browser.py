"""/train in a real Chromium: the Step / Play / Pause / Reset journey, CSV upload (good and
bad files) and picking an example for the inspector."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_exception, wait_ready

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def steps_value(page: Page):
    return page.get_by_test_id("stMetric").filter(has_text="Steps").get_by_test_id("stMetricValue")


def open_train(page: Page, base: str, query: str = "") -> None:
    page.goto(f"{base}/train{query}")
    wait_ready(page)
    expect(steps_value(page)).to_have_text("0", timeout=30_000)


def test_step_play_pause_reset(app_server, page):
    open_train(page, app_server)
    value = steps_value(page)
    charts = page.locator(".js-plotly-plot")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 5
    curves_before = charts.first.inner_html()
    page.get_by_role("button", name="Step", exact=True).click()
    expect(value).to_have_text("1")
    wait_ready(page)
    assert charts.first.inner_html() != curves_before
    page.get_by_role("button", name="Step ×10", exact=True).click()
    expect(value).to_have_text("11")
    wait_ready(page)
    page.get_by_role("button", name="Play", exact=True).click()
    expect(value).not_to_have_text(re.compile(r"^1?\d$"), timeout=20_000)  # past 19: playing
    # While playing, the views are SVG pictures the browser decodes and draws, not charts.
    pictures = page.get_by_test_id("stImage").locator("img")
    expect(pictures).to_have_count(4)
    drawn = "els => els.every(e => e.complete && e.naturalWidth > 0)"
    page.wait_for_function(
        f"() => ({drawn})([...document.querySelectorAll(\"[data-testid='stImage'] img\")])"
    )
    expect(charts).to_have_count(0)
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.get_by_role("button", name="Play", exact=True)).to_be_visible()
    wait_ready(page)
    expect(pictures).to_have_count(0)
    assert charts.count() >= 5
    paused_at = value.inner_text()
    page.wait_for_timeout(800)
    assert value.inner_text() == paused_at
    page.get_by_role("button", name="Reset", exact=True).click()
    expect(value).to_have_text("0")
    assert_no_exception(page)


def choose_csv(page: Page) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stSelectbox").filter(has_text="Dataset").click()
    page.get_by_role("option", name="your own CSV").click()
    expect(page.get_by_text("Upload a CSV file in the sidebar")).to_be_visible()
    wait_ready(page)


def test_csv_upload_good_and_bad(app_server, page, tmp_path):
    open_train(page, app_server)
    choose_csv(page)
    uploader = page.locator("[data-testid='stFileUploader'] input[type='file'][accept*='.csv']")
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n" + "1,2,yes\n" * 6 + "3,,no\n" + "1,2,no\n" * 6)
    uploader.set_input_files(str(bad))
    message = page.get_by_test_id("stAlert").filter(has_text=re.compile(r"Row 8, column x2: the"))
    expect(message).to_be_visible(timeout=20_000)
    assert_no_exception(page)
    uploader.set_input_files(str(EXAMPLES / "exam_scores.csv"))
    expect(page.get_by_text("Decision boundary and p(class 1)")).to_be_visible(timeout=20_000)
    wait_ready(page)
    page.get_by_role("button", name="Step ×10", exact=True).click()
    expect(steps_value(page)).to_have_text("10")
    assert "dataset=csv" in page.url
    assert_no_exception(page)


def test_picking_an_example_by_number_and_by_click(app_server, page):
    open_train(page, app_server)
    index = page.get_by_label(re.compile(r"Example index"))
    index.fill("5")
    index.press("Enter")
    expect(page.get_by_text("train example #5")).to_be_visible(timeout=20_000)
    wait_ready(page)
    gallery = page.locator(".js-plotly-plot").nth(2)  # curves, output layer, then the gallery
    gallery.evaluate("e => e.scrollIntoView({block: 'center'})")  # clear of the top bar
    # Click the third image: each image carries an invisible marker that picks it. Plotly
    # clicks what the hover found, so hover first and let it settle.
    marker = gallery.locator(".scatterlayer .point").nth(2)
    marker.hover(force=True)
    page.wait_for_timeout(500)
    box = marker.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.get_by_text(re.compile(r"test example #\d+"))).to_be_visible(timeout=20_000)
    assert_no_exception(page)


def test_another_page_and_back_keeps_the_training(app_server, page):
    """Streamlit forgets /train's widgets while the session is on another page; coming back,
    by the browser's Back or by the sidebar's link (no settings in it), finds the same lab."""
    open_train(page, app_server, "?seed=3&lr=0.19")
    page.get_by_role("button", name="Step ×10", exact=True).click()
    expect(steps_value(page)).to_have_text("10")
    wait_ready(page)
    for come_back in (page.go_back, lambda: page.get_by_role("link", name="Training lab").click()):
        page.get_by_role("link", name="Heads lab").click()
        expect(page).to_have_url(re.compile(r"/heads"))
        wait_ready(page)
        come_back()
        expect(page).to_have_url(re.compile(r"/train\?(seed=3&lr=0\.19|lr=0\.19&seed=3)$"))
        wait_ready(page)
        expect(steps_value(page)).to_have_text("10")
        expect(page.get_by_text("training restarted")).to_have_count(0)
        assert float(page.get_by_label("Learning rate η").input_value()) == 0.19
    assert_no_exception(page)
