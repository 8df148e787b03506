"""botoxcare.pdf: the renderer loads the project's own static files and nothing else."""

from __future__ import annotations

import weasyprint

from botoxcare.pdf import StaticOnlyFetcher, render_pdf
from tests.pdf import hostile_markup, pdf_page_size, pdf_pages, pdf_text, recording_server


def page(body: str) -> str:
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="static:css/print.css"></head>'
        f'<body><p class="doc-clinic">Riverside Clinic</p><h1>A title</h1>{body}</body></html>'
    )


def leak_css(tmp_path):
    leak = tmp_path / "leak.css"
    leak.write_text('body::after { content: "LEAKED-FROM-DISK" }')
    return str(leak)


def test_hostile_markup_fetches_nothing_while_a_bare_render_does(tmp_path):
    leak = leak_css(tmp_path)
    with recording_server() as (origin, hits):
        html = page(f"<p>Hello</p>{hostile_markup(origin, leak)}")
        text = pdf_text(render_pdf(html))
        assert hits == []
        # The same HTML through WeasyPrint's default fetcher reaches the server and the disk:
        # the test would see a fetch if render_pdf made one.
        bare = pdf_text(weasyprint.HTML(string=html).write_pdf())
        assert hits
    assert "Hello" in text
    assert "FETCHED" not in text
    assert "LEAKED-FROM-DISK" not in text
    assert "LEAKED-FROM-DISK" in bare


def test_the_fetcher_serves_static_files_only():
    fetcher = StaticOnlyFetcher()
    assert b"@page" in fetcher.fetch("static:css/print.css").read()
    assert b"@page" in fetcher.fetch("css/print.css").read()
    for url in (
        "static:../pyproject.toml",
        "static:css/../../manage.py",
        "static:/etc/passwd",
        "file:///etc/passwd",
        "http://127.0.0.1/x.css",
        "https://example.org/x.css",
        "data:text/css,body{}",
        "static://evil.example/css/print.css",
        "static:css/missing.css",
    ):
        try:
            fetcher.fetch(url)
        except ValueError:
            pass
        else:
            raise AssertionError(f"{url} was served")
    assert len(fetcher.refused) == 9


def test_page_numbers_clinic_name_and_paper_size():
    long = "".join(f"<p>Paragraph {i} of a long document.</p>" for i in range(120))
    a4 = render_pdf(page(long))
    letter = render_pdf(page(long), page_size="letter")
    pages = pdf_pages(a4)
    assert pages >= 2
    text = pdf_text(a4)
    assert f"Page 1 of {pages}" in text
    assert f"Page {pages} of {pages}" in text
    assert text.count("Riverside Clinic") >= pages  # the running header on every page
    assert "(A4)" in pdf_page_size(a4)
    assert "(letter)" in pdf_page_size(letter)
