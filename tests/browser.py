"""Signing in from a real browser, as the browser tests do."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page

from tests.factories import PASSWORD, totp_code

CODE_PAGE = "/accounts/two-factor/"


def sign_in(page: Page, base: str, username: str, password: str = PASSWORD) -> Page:
    """Sign in on `page` through the login form; when the site asks for a two-factor code,
    enter the one the user's authenticator app shows (see `tests.factories.totp_code`). A
    user with no app set up is left on the page that sets it up."""
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if page.url.split("?")[0] == f"{base}{CODE_PAGE}":
        enter_code(page, totp_code(get_user_model().objects.get(username=username)))
    return page


def enter_code(page: Page, code: str) -> Page:
    """Give `code` on the two-factor code page."""
    page.get_by_role("textbox", name="Code").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Verify").click()
    return page


def signed_in(
    browser: Browser, base: str, username: str, *, width: int = 1280, height: int = 900
) -> Page:
    """A page of a new browser context (its own cookies), signed in as `username`."""
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    return sign_in(page, base, username)
