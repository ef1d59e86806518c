"""The landing page, the tour, presentation mode, shared links and files in a real Chromium."""

import csv
import io
import json
import re
from dataclasses import replace

import numpy as np
from playwright.sync_api import Page, expect

from softviz.settings import DEFAULTS, from_json, to_json
from softviz.tour_steps import STEPS
from tests.browser.helpers import assert_no_exception, wait_ready

# A rerun on a busy shared CI machine can take seconds; Playwright's default is 5 s.
expect.set_options(timeout=20_000)

SIDEBAR = "[data-testid='stSidebar']"


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    wait_ready(page)
    assert_no_exception(page)


def title(page: Page):
    return page.locator("h1").first


def root_font_px(page: Page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def line_widths(page: Page) -> list[float]:
    """Stroke widths (px) of the line traces drawn by Plotly on the page."""
    page.wait_for_selector(".js-plotly-plot .scatterlayer path.js-line")
    return page.eval_on_selector_all(
        ".js-plotly-plot .scatterlayer path.js-line",
        "els => els.map(e => parseFloat(getComputedStyle(e).strokeWidth))",
    )


def share_link(page: Page) -> str:
    return page.locator(f"{SIDEBAR} [data-testid='stCode']").inner_text().replace("\n", "")


def test_landing_page_shows_the_picture_and_the_ways_in(app_server, page):
    open_page(page, app_server)
    expect(title(page)).to_contain_text("label")
    expect(page.locator(".js-plotly-plot")).to_have_count(1)
    main = page.get_by_test_id("stMain")
    for label in ("Take the tour", "Heads lab", "Training lab", "Head to head"):
        expect(main.get_by_role("link", name=label)).to_be_visible()
    main.get_by_role("link", name="Take the tour").click()
    expect(page).to_have_url(re.compile(r"/tour\?step=1$"))
    expect(title(page)).to_have_text(STEPS[0].title)


def test_a_shared_link_opens_the_same_view(app_server, page):
    open_page(page, f"{app_server}/tour?step=5&seed=3")
    expect(title(page)).to_have_text(STEPS[4].title)
    expect(page).to_have_url(re.compile(r"step=5"))
    assert re.search(r"seed=3", page.url)
    link = share_link(page)
    assert link.startswith(f"{app_server}/tour?") and "seed=3" in link and "step=5" in link
    # Whoever opens the copied link sees the same step (a fresh browser context).
    other = page.context.browser.new_page()
    try:
        open_page(other, link)
        expect(title(other)).to_have_text(STEPS[4].title)
    finally:
        other.close()


def test_a_bad_link_is_answered_with_a_warning_not_an_error(app_server, page):
    open_page(page, f"{app_server}/tour?step=99&lr=banana")
    expect(title(page)).to_have_text(STEPS[0].title)
    expect(page.get_by_text("Ignored step=99")).to_be_visible()
    expect(page.get_by_text("Ignored lr=banana")).to_be_visible()


def test_tour_next_and_back(app_server, page):
    open_page(page, f"{app_server}/tour")
    expect(page).to_have_url(re.compile(r"step=1"))
    page.get_by_role("button", name=re.compile("^Next")).click()
    expect(title(page)).to_have_text(STEPS[1].title)
    expect(page).to_have_url(re.compile(r"step=2"))
    wait_ready(page)
    page.get_by_role("button", name=re.compile("^Next")).click()
    expect(page).to_have_url(re.compile(r"step=3"))
    wait_ready(page)
    page.get_by_role("button", name=re.compile("^Back")).click()
    expect(title(page)).to_have_text(STEPS[1].title)
    expect(page).to_have_url(re.compile(r"step=2"))
    wait_ready(page)
    page.keyboard.press("PageDown")  # what a presentation clicker sends
    expect(title(page)).to_have_text(STEPS[2].title)
    assert_no_exception(page)


def test_open_this_view_goes_to_the_lab_with_the_preset(app_server, page):
    open_page(page, f"{app_server}/tour?step=8")
    page.get_by_text("Training lab on XOR, 8 hidden units").click()
    expect(page).to_have_url(re.compile(r"/train\?dataset=xor&hidden=8&lr=0.5$"))
    expect(title(page)).to_have_text("Training lab")
    wait_ready(page)
    assert_no_exception(page)


def test_presentation_mode_from_the_url_and_the_toggle(app_server, page):
    open_page(page, f"{app_server}/tour?step=2&present=1")
    expect(page.locator(SIDEBAR)).to_be_hidden()
    expect(page.locator("[data-testid='stHeader']")).to_be_hidden()
    assert root_font_px(page) >= 20
    assert min(line_widths(page)) >= 4  # thick lines for a projector
    # It sticks while moving on, and the toggle turns it off again.
    page.get_by_role("button", name=re.compile("^Next")).click()
    expect(title(page)).to_have_text(STEPS[2].title)
    expect(page).to_have_url(re.compile(r"present=1"))
    wait_ready(page)
    page.get_by_text("Presentation mode").click()
    expect(page.locator(SIDEBAR)).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"present="))
    wait_ready(page)
    assert root_font_px(page) < 20
    page.get_by_role("button", name=re.compile("^Back")).click()
    expect(title(page)).to_have_text(STEPS[1].title)
    wait_ready(page)
    assert max(line_widths(page)) < 4


def test_settings_download_matches_the_view(app_server, page):
    open_page(page, f"{app_server}/tour?step=2&lr=0.5&seed=4")
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("Settings \\(JSON\\)")).click()
    download = info.value
    assert download.suggested_filename == "softviz-tour-settings.json"
    text = open(download.path(), encoding="utf-8").read()
    settings, warnings = from_json(text)
    assert warnings == [] and settings == replace(DEFAULTS, lr=0.5, seed=4)
    assert json.loads(text)["page"] == "tour"


def test_loading_a_settings_file_restores_its_view(app_server, page, tmp_path):
    saved = tmp_path / "from-train.json"
    saved.write_text(to_json(replace(DEFAULTS, dataset="xor", hidden=8), page="train"))
    open_page(page, f"{app_server}/tour?step=2")
    page.locator(f"{SIDEBAR} input[type='file']").set_input_files(saved)
    expect(page).to_have_url(re.compile(r"/train\?dataset=xor&hidden=8$"))
    expect(title(page)).to_have_text("Training lab")
    wait_ready(page)
    assert_no_exception(page)


def test_a_bad_settings_file_gets_a_clear_message(app_server, page, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"settings": {"lr": 0.5')
    open_page(page, f"{app_server}/tour?step=2")
    page.locator(f"{SIDEBAR} input[type='file']").set_input_files(bad)
    expect(page.get_by_text("Could not load that file: The file is not valid JSON")).to_be_visible()
    expect(title(page)).to_have_text(STEPS[1].title)
    assert_no_exception(page)


def test_simultaneous_sessions_do_not_trip_over_each_other(app_server, browser):
    """A class pressing Step at the same moment: every session runs, none sees an error.
    (Shared st.Page objects once made concurrent runs fail with "cannot be called directly".)"""
    contexts = [browser.new_context(viewport={"width": 1280, "height": 800}) for _ in range(4)]
    try:
        pages = [context.new_page() for context in contexts]
        for page in pages:
            open_page(page, f"{app_server}/train")
        for round_ in range(1, 9):
            for page in pages:  # a click only dispatches: the four reruns overlap
                page.get_by_role("button", name="Step", exact=True).click()
            for page in pages:
                steps = page.get_by_test_id("stMetric").filter(has_text="Steps")
                expect(steps.get_by_test_id("stMetricValue")).to_have_text(str(round_))
        for page in pages:
            wait_ready(page)
            assert_no_exception(page)
    finally:
        for context in contexts:
            context.close()


def test_history_and_weights_downloads_from_the_training_lab(app_server, page):
    open_page(page, f"{app_server}/train?dataset=xor&hidden=4")
    for expected in ("1", "2"):
        page.get_by_role("button", name="Step", exact=True).click()
        steps = page.get_by_test_id("stMetric").filter(has_text="Steps")
        expect(steps.get_by_test_id("stMetricValue")).to_have_text(expected)
        wait_ready(page)
    sidebar = page.locator(SIDEBAR)
    sidebar.get_by_text("Share and save").click()  # collapsed under the lab's controls
    with page.expect_download() as info:
        sidebar.get_by_role("button", name=re.compile(r"History \(CSV\)")).click()
    rows = list(csv.DictReader(io.StringIO(open(info.value.path(), encoding="utf-8").read())))
    assert [int(row["step"]) for row in rows] == [0, 1, 2]
    with page.expect_download() as info:
        sidebar.get_by_role("button", name=re.compile(r"Weights \(NPZ\)")).click()
    weights = np.load(info.value.path())
    assert weights["W1"].shape == (4, 2) and weights["W2"].shape == (2, 4)
    assert int(weights["steps"]) == 2


def test_a_labs_settings_file_reopens_the_lab_with_its_own_keys(app_server, page, tmp_path):
    open_page(page, f"{app_server}/heads?k=2&z=2,-1")
    page.locator(SIDEBAR).get_by_text("Share and save").click()
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("Settings \\(JSON\\)")).click()
    text = open(info.value.path(), encoding="utf-8").read()
    assert json.loads(text)["page_query"]["z"] == "2,-1"
    saved = tmp_path / "heads.json"
    saved.write_text(text)
    open_page(page, f"{app_server}/tour?step=3")
    page.locator(f"{SIDEBAR} input[type='file']").set_input_files(saved)
    expect(page).to_have_url(re.compile(r"/heads\?.*z=2(,|%2C)-1"))
    wait_ready(page)
    assert_no_exception(page)
