"""`next` is only ever a path on this site: a bare word (which Django would try as a URL
name) or a control character (which a Location header cannot carry) gives the fallback."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from botoxcare.redirects import redirect_back, same_site_back


@pytest.mark.parametrize(
    "back", ["0", "patients", "/ok\nSet-Cookie: x=1", "/ok\x00", "//evil.test/"]
)
def test_anything_but_a_path_on_this_site_gives_the_fallback(back):
    request = RequestFactory().post("/", {"next": back})
    assert same_site_back(request) == ""
    assert redirect_back(request, "staff:patients")["Location"] == "/patients/"


def test_a_path_on_this_site_is_kept():
    request = RequestFactory().post("/", {"next": "/patients/3/?tab=visits"})
    assert redirect_back(request, "staff:patients")["Location"] == "/patients/3/?tab=visits"
