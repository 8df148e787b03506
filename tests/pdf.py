"""Helpers for tests that read PDFs and watch for outside fetches."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as poppler's pdftotext reads it, whitespace collapsed."""
    out = subprocess.run(
        ["pdftotext", "-", "-"],  # noqa: S607 (poppler-utils, installed by bin/test)
        input=bytes(pdf),
        capture_output=True,
        check=True,
    ).stdout.decode()
    return " ".join(out.split())


def pdf_pages(pdf: bytes) -> int:
    out = subprocess.run(
        ["pdfinfo", "-"],  # noqa: S607
        input=bytes(pdf),
        capture_output=True,
        check=True,
    ).stdout.decode()
    return int(next(line for line in out.splitlines() if line.startswith("Pages:")).split()[1])


def pdf_page_size(pdf: bytes) -> str:
    out = subprocess.run(
        ["pdfinfo", "-"],  # noqa: S607
        input=bytes(pdf),
        capture_output=True,
        check=True,
    ).stdout.decode()
    return next(line for line in out.splitlines() if line.startswith("Page size:"))


@contextmanager
def recording_server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that answers everything (a PNG, or CSS that would write
    "FETCHED" into the page) and records each path asked for."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            if self.path.endswith(".png"):
                body, kind = PNG_1PX, "image/png"
            else:
                body, kind = b'body::after { content: "FETCHED" }', "text/css"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def hostile_markup(origin: str, leak_file: str) -> str:
    """Markup a clinic admin (or whoever took over their login) might paste into a text."""
    return (
        f'<img src="{origin}/tracker.png"> '
        f'<link rel="stylesheet" href="{origin}/link.css"> '
        f'<style>@import url("{origin}/import.css"); '
        f'p {{ background: url("{origin}/bg.png") }}</style> '
        f'<link rel="stylesheet" href="file://{leak_file}"> '
        '<img src="file:///etc/passwd">'
    )
