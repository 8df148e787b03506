"""A page's links to rows, reversed once a page rather than once a row: a list of 25 rows
with three links each would otherwise reverse 75 URLs, and a calendar day of a hundred visits
two hundred (each `reverse` walks the URL resolver)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

# Ids no row has; each row's own take their places in the one reversed URL.
_ANY_IDS = (2_147_483_647, 2_147_483_646)


def link_maker(name: str, arity: int = 1) -> Callable[..., str]:
    """What `reverse(name, args=ids)` gives for any `arity` ids (one or two), from one
    reversal: the URL is reversed with ids no row has, then cut where they stand."""
    if arity not in (1, 2):
        raise ValueError("one or two ids")
    url = reverse(name, args=list(_ANY_IDS[:arity]))
    first, _, rest = url.partition(str(_ANY_IDS[0]))
    if arity == 1:
        return lambda pk: f"{first}{pk}{rest}"
    middle, _, last = rest.partition(str(_ANY_IDS[1]))
    return lambda a, b: f"{first}{a}{middle}{b}{last}"
