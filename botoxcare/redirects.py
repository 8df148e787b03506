"""Going back where a form came from: only to an address on this site."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from .validators import control_characters


def same_site_back(request: HttpRequest) -> str:
    """The `next` the form posted (or the link carried), when it is an address on this site."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    # A path only: a bare word would be tried as a URL name, and a control character cannot
    # go in a Location header.
    if not back.startswith("/") or control_characters(back, multiline=False):
        return ""
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return ""


def redirect_back(request: HttpRequest, fallback: str, *args: Any) -> HttpResponseRedirect:
    """To the form's `next` when it is a same-site address, else to the `fallback` URL name."""
    back = same_site_back(request)
    return HttpResponseRedirect(back) if back else redirect(fallback, *args)
