"""Helpers for browser tests: `from tests.browser.helpers import wait_ready, assert_no_exception`.

Streamlit marks its root element with the state of the current script run:
`data-test-script-state` is "initial" before the first run, "running" during a rerun and
"notRunning" once a rerun has finished.

A click only *requests* a rerun, so right after one the state can still read "notRunning".
After an interaction, wait for the change you expect with Playwright's `expect(...)`
(it retries), then call `wait_ready` to let the rest of the rerun finish.
"""

from playwright.sync_api import Page

APP = "[data-testid='stApp']"
READY = f"{APP}[data-test-connection-state='CONNECTED'][data-test-script-state='notRunning']"
EXCEPTION = "[data-testid='stException']"


def wait_ready(page: Page, timeout: float = 30_000) -> None:
    """Wait until the app is connected and its current script run has finished."""
    page.wait_for_selector(READY, state="attached", timeout=timeout)


def assert_no_exception(page: Page) -> None:
    """Fail, showing the exception's text, if the page shows an uncaught exception."""
    exceptions = page.locator(EXCEPTION)
    if exceptions.count():
        details = "\n---\n".join(exceptions.all_inner_texts())
        raise AssertionError(f"the app shows {exceptions.count()} exception(s):\n{details}")
