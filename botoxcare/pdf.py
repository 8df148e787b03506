"""HTML to PDF with WeasyPrint, fetching nothing from the network or the file system.

The one way the project makes a PDF. Clinic-editable text reaches the HTML (escaped by the
templates, but a renderer must not trust that), so the URL fetcher serves only the project's
own files under `static/`, named `static:css/print.css` (or relatively, `css/print.css`).
Everything else — `http(s)://`, `file://`, `data:`, any path leaving `static/` — is refused
before any I/O. Fonts come from the machine's fontconfig (DejaVu), never from a URL.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import HttpResponse
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

PAGE_SIZES = frozenset({"A4", "letter"})  # CSS @page sizes; ClinicSettings.paper_size
STATIC_SCHEME = "static"


def static_root() -> Path:
    return (Path(settings.BASE_DIR) / "static").resolve()


class StaticOnlyFetcher(URLFetcher):
    """Serves files under `static/` for `static:` and relative URLs; refuses everything else.

    Refused URLs are kept in `refused` (and logged) so a caller or a test can see what the
    document asked for."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=frozenset(), allow_redirects=False)
        self.root = static_root()
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = self._static_path(url)
        if path is None:
            self.refused.append(url)
            logger.warning("PDF render refused to fetch %.200s", url)
            raise ValueError(f"Refused: only the project's static files may be loaded ({url!r})")
        self.served.append(url)
        mime, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            f"{STATIC_SCHEME}:{path.relative_to(self.root).as_posix()}",
            body=path.read_bytes(),
            headers={"Content-Type": mime or "application/octet-stream"},
        )

    def _static_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme not in ("", STATIC_SCHEME) or parts.netloc:
            return None
        relative = unquote(parts.path).lstrip("/")
        if not relative:
            return None
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path


def page_css(page_size: str) -> CSS:
    if page_size not in PAGE_SIZES:
        raise ValueError(f"Unknown paper size {page_size!r}")
    return CSS(string=f"@page {{ size: {page_size}; }}", url_fetcher=StaticOnlyFetcher())


def render_pdf(html: str, *, page_size: str = "A4") -> bytes:
    """The PDF of `html` on `page_size` paper. Page numbers and the running header come from
    the document's own print stylesheet (`static/css/print.css`, `@page` counters)."""
    fetcher = StaticOnlyFetcher()
    document = HTML(string=html, base_url=f"{STATIC_SCHEME}:", url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[page_css(page_size)])
    assert pdf is not None  # noqa: S101 (write_pdf with no target returns the bytes)
    return pdf


def pdf_download(pdf: bytes | memoryview, *, filename: str) -> HttpResponse:
    """A stored PDF as a download: the bytes as kept, never rendered again, never cached."""
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
