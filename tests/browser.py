"""Signing in from a real browser, as the browser tests do."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

from tests.factories import PASSWORD


def sign_in(page: Page, base: str, username: str, password: str = PASSWORD) -> Page:
    """Sign in on `page` through the login form."""
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    return page


def signed_in(
    browser: Browser, base: str, username: str, *, width: int = 1280, height: int = 900
) -> Page:
    """A page of a new browser context (its own cookies), signed in as `username`."""
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    return sign_in(page, base, username)
