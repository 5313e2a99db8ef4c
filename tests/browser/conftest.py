"""One Debian chromium for all browser tests (launched once per session) and a fresh page per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium tries to reach Google's hosts, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="de-DE", viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture
def sign_in(page: Any, live_server: Any) -> Any:
    """``sign_in(username, password)``: log in through the login form and wait until it is left."""

    def _sign_in(username: str, password: str) -> None:
        page.goto(live_server.url + "/anmelden/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.locator("main button[type=submit]").click()
        page.wait_for_url(lambda url: "/anmelden/" not in url)

    return _sign_in
