"""Template filters for clinic-written plain text (aftercare instructions and the like)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def bullet_items(text: object) -> list[str]:
    """Split plain text written as "- item" lines into a list of items.

    A line that does not start with "- " continues the item above it (an item
    may wrap onto the next line) and is joined to it with a single space. A
    blank line ends the current item. Text before the first bullet, or text
    with no bullets at all, becomes an item of its own, so nothing is lost.
    The items are plain strings; the template escapes them as usual.
    """
    if not text:
        return []
    items: list[list[str]] = []
    open_item = False
    for raw in str(text).splitlines():
        line = raw.strip()
        if not line:
            open_item = False
        elif line == "-" or line.startswith("- "):
            items.append([line[1:].strip()])
            open_item = True
        elif open_item:
            items[-1].append(line)
        else:
            items.append([line])
            open_item = True
    joined = (" ".join(part for part in parts if part) for parts in items)
    return [item for item in joined if item]


@register.filter
def titled_blocks(text: object) -> list[tuple[str, str]]:
    """Split plain text written as blocks separated by a blank line into (title, text): the
    first line of a block is its title, the rest its text (the public page's steps)."""
    blocks = []
    for block in str(text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        if lines:
            blocks.append((lines[0], " ".join(lines[1:])))
    return blocks
