"""How a name is searched: folded once when it is written (accents dropped, case folded), so
the list matches a prefix of the folded name through an index instead of comparing every
patient's name ("Zoë" is found by "zoe" and "ZOE")."""

from __future__ import annotations

import unicodedata

KEY_LENGTH = 100  # the name fields' own length


def name_key(text: str) -> str:
    """`text` as the search compares it: compatibility-decomposed (NFKD), without combining
    marks, case-folded, with its spaces collapsed. "  Zoë  O'Brien" -> "zoe o'brien"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())[:KEY_LENGTH]


def search_words(query: str) -> list[str]:
    """The words of a search as keys: "Smith, Ruby" (as the list writes names) is two words."""
    return [w for w in (name_key(part) for part in query.replace(",", " ").split()) if w]
