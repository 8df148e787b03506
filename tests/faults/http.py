"""A browser's share of HTTP for the fault tests: cookies kept, CSRF token sent, redirects
not followed (the test looks at each answer), against a server the test started."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from typing import Any

from django.urls import reverse

from tests.factories import PASSWORD, totp_code

FORM_TOKEN = re.compile(r'name="form_token" value="([0-9a-f]{32})"')


@dataclass
class Answer:
    status: int
    body: str
    location: str


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Visitor:
    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects()
        )

    def _open(self, request: urllib.request.Request, timeout: float) -> Answer:
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Answer(response.status, response.read().decode(), "")
        except urllib.error.HTTPError as answer:  # 3xx (not followed), 4xx, 5xx
            return Answer(answer.code, answer.read().decode(), answer.headers.get("Location", ""))

    def get(self, path: str, timeout: float = 30) -> Answer:
        return self._open(urllib.request.Request(self.base + path), timeout)  # noqa: S310

    def post(self, path: str, data: dict[str, Any], timeout: float = 30) -> Answer:
        token = next((c.value for c in self.cookies if c.name == "csrftoken"), "")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(  # noqa: S310
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        return self._open(request, timeout)

    def form_token(self, path: str) -> str:
        page = self.get(path)
        assert page.status == 200, page.status
        found = FORM_TOKEN.search(page.body)
        assert found, f"no form token on {path}"
        return found.group(1)

    def sign_in(self, user: Any) -> None:
        """Password, then (for staff) the authenticator's code, as a person signs in."""
        assert self.get("/accounts/login/").status == 200
        signed = self.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
        assert signed.status == 302, signed.status
        asked = self.get(urllib.parse.urlsplit(signed.location).path)
        path = reverse("two_factor:verify")
        if asked.status == 302 and urllib.parse.urlsplit(asked.location).path == path:
            assert self.get(path).status == 200
            done = self.post(path, {"code": totp_code(user), "next": "/after-login/"})
            assert done.status == 302, done.status
