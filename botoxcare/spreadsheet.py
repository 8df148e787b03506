"""CSV files for a spreadsheet: UTF-8 that Excel reads, and no cell that runs as a formula."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

# =, +, - and @ start a formula in Excel, LibreOffice and Google Sheets; tab and carriage
# return can smuggle one in too (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: str) -> str:
    """The cell as text a spreadsheet shows, never runs: a leading single quote."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(header: list[str], lines: Iterable[list[str]]) -> Iterator[str]:
    """The file, line by line (for a StreamingHttpResponse), every cell neutralised; a
    byte-order mark first so that Excel reads UTF-8 names."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for cells in lines:
        yield writer.writerow([neutralised(c) for c in cells])
