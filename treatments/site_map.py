"""Where the PREEMPT sites go on the injection form's head-and-neck diagram (front, both
sides, back): each muscle's places by side, in SVG units of a 300 x 345 panel, the fixed
sites' first and then those follow-the-pain may add, up to the clinic's maximum for the
muscle. A drawing only: the form's table is what is posted, and the service judges it.

A bilateral muscle's places are numbered on each side; a count without sides fills both
halves evenly (left, right, in turn), and a count with sides (the table's left and right,
or the last session's) fills each side to its number. The script posts the sides it shows,
in the table's left and right cells. A muscle the clinic added, or sites beyond the places
drawn here, are in the table only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .sides import MIDLINE

WIDTH, HEIGHT = 300, 345
# The part of the panel shown (x from VIEW_LEFT, VIEW_WIDTH wide): the drawing's margins cut.
VIEW_LEFT, VIEW_WIDTH = 8, 284
VIEWBOX = f"{VIEW_LEFT} 0 {VIEW_WIDTH} {HEIGHT}"
HIT_RADIUS = 15  # 30 units apart at least: 44 CSS px or more at the form's size on a tablet

Point = tuple[int, int]

# The patient's right side, in the view that shows it; the left is mirrored (x -> 300 - x)
# in the front and back views, and drawn in its own profile for the temporalis.
# front: the patient's right is on the viewer's left.
# right: the right profile, face to the viewer's right. back: the right is on the viewer's right.
PLACES: dict[str, tuple[str, list[Point]]] = {
    "corrugator": ("front", [(126, 124)]),
    "procerus": ("front", [(150, 150)]),
    "frontalis": ("front", [(124, 78), (86, 94)]),
    "temporalis": ("side", [(112, 122), (148, 106), (184, 122), (148, 142), (130, 72)]),
    "occipitalis": ("back", [(178, 182), (208, 166), (192, 138), (172, 106)]),
    "cervical_paraspinal": ("back", [(168, 232), (172, 262)]),
    "trapezius": ("back", [(200, 276), (232, 290), (262, 306), (205, 312), (238, 328)]),
}
VIEWS = [
    ("front", "Front (the patient's right on your left)"),
    ("right", "Right side"),
    ("left", "Left side"),
    ("back", "Back (the patient's right on your right)"),
]


@dataclass(frozen=True)
class Place:
    muscle: str
    side: str  # "left", "right" or "" (midline)
    number: int  # the site's number on its side of the muscle, from 1
    order: int  # the muscle's sites are filled in this order (fixed ones first)
    fixed: bool  # one of the protocol's fixed sites, else a follow-the-pain place
    x: int
    y: int
    name: str  # "Temporalis, left, site 5"


@dataclass(frozen=True)
class Panel:
    view: str
    label: str
    places: list[Place]
    viewbox: str = VIEWBOX


def _short(label: str) -> str:
    return label.split(" (")[0]


def _mirror(point: Point) -> Point:
    return (WIDTH - point[0], point[1])


def muscle_places(key: str, limit: Mapping[str, Any]) -> list[tuple[str, Place]]:
    """(view, place) for the muscle's places, in fill order, up to its maximum of sites."""
    if key not in PLACES:
        return []
    view, right = PLACES[key]
    most = int(limit.get("max_sites") or 0)
    fixed = int(limit.get("fixed_sites") or 0)
    name = _short(str(limit.get("label") or key))
    found: list[tuple[str, Place]] = []
    if key in MIDLINE:
        for i, (x, y) in enumerate(right[:most]):
            place = Place(key, "", i + 1, i, i < fixed, x, y, f"{name}, midline, site {i + 1}")
            found.append((view, place))
        return found
    for i in range(min(most, 2 * len(right))):
        side = "left" if i % 2 == 0 else "right"
        n = i // 2
        point = right[n]
        if view == "side":
            shown, (x, y) = side, (point if side == "right" else _mirror(point))
        else:
            shown, (x, y) = view, (point if side == "right" else _mirror(point))
        place = Place(key, side, n + 1, i, i < fixed, x, y, f"{name}, {side}, site {n + 1}")
        found.append((shown, place))
    return found


def site_panels(muscles: Mapping[str, Mapping[str, Any]]) -> list[Panel]:
    """The four views with the places of the clinic's muscles (`muscles_in_order`)."""
    by_view: dict[str, list[Place]] = {view: [] for view, _ in VIEWS}
    for key, limit in muscles.items():
        for view, place in muscle_places(key, limit):
            by_view[view].append(place)
    return [Panel(view, label, by_view[view]) for view, label in VIEWS if by_view[view]]
