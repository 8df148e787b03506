"""Whole clinics of walks: the demo clinic (seed_demo) and a mature clinic of any size (the
bench)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date

from .events import History
from .plan import Target, history

# (final state, completed cycles, how many patients): the demo clinic, every step present.
DEMO_PLAN: list[tuple[Target, int, int]] = [
    (Target.CONSULTATION, 0, 6),
    (Target.CONSENT, 0, 5),
    (Target.INJECTION, 0, 3),
    (Target.INJECTION, 2, 2),
    (Target.POST_CARE, 1, 2),
    (Target.POST_CARE, 3, 2),
    (Target.MAINTENANCE, 1, 8),
    (Target.MAINTENANCE, 2, 5),
    (Target.MAINTENANCE, 3, 3),
    (Target.DECLINED, 0, 1),
    (Target.STOP_RULE, 2, 2),
    (Target.ADVERSE, 1, 1),
]
# (final state, completed cycles, patients per thousand): a mature clinic (the bench), most
# of its patients in maintenance, a few at each earlier step, some discontinued.
CLINIC_MIX: list[tuple[Target, int, int]] = [
    (Target.CONSULTATION, 0, 60),
    (Target.CONSENT, 0, 50),
    (Target.INJECTION, 0, 30),
    (Target.INJECTION, 1, 30),
    (Target.INJECTION, 2, 25),
    (Target.INJECTION, 3, 20),
    (Target.POST_CARE, 1, 15),
    (Target.POST_CARE, 2, 15),
    (Target.POST_CARE, 3, 10),
    (Target.POST_CARE, 4, 10),
    (Target.MAINTENANCE, 1, 150),
    (Target.MAINTENANCE, 2, 200),
    (Target.MAINTENANCE, 3, 150),
    (Target.MAINTENANCE, 4, 150),
    (Target.DECLINED, 0, 20),
    (Target.STOP_RULE, 2, 50),
    (Target.ADVERSE, 1, 15),
]
FIRST = [
    "Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Sophia", "Leo",
    "Grace", "Oscar", "Freya", "Harry", "Lily", "Jack", "Evie", "Charlie", "Ella", "Theo",
    "Ruby", "Henry", "Florence", "Alfie", "Willow", "Jacob", "Rosie", "Thomas", "Ivy", "Finley",
    "Margaret", "David", "Susan", "Peter", "Helen", "Michael", "Sarah", "James", "Emma", "John",
    "Aisha", "Mohammed", "Priya", "Raj", "Chloe", "Daniel", "Hannah", "Samuel", "Zara", "Adam",
]  # fmt: skip
LAST = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Wood", "Jackson", "Clarke", "Khan", "Lewis", "Hughes", "Edwards", "Turner", "Hill",
    "Cooper", "Ward", "Morris", "Moore", "Clark", "Harris", "Martin", "King", "Baker", "Allen",
    "Young", "Scott", "Mitchell", "Phillips", "Campbell", "Anderson", "Bell", "Parker", "Bennett",
    "Shaw", "Cook", "Carter", "Murphy", "Price", "Griffiths", "Kelly", "Simpson", "Marshall",
    "Collins", "Begum", "Ali", "Hussain", "Singh", "Chapman", "Mason", "Webb", "Rogers", "Gray",
    "Hunt", "Mills", "Holmes", "Palmer", "Lloyd", "Richards", "Knight", "Butler", "Barker",
    "Russell", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Smithson",
    "Goldsmith", "Ellis", "Reynolds", "Fox", "Owen", "Matthews", "Lawrence", "Pearson",
]  # fmt: skip


def demo_histories(rng: random.Random, today: date, clinicians: int) -> list[History]:
    """The demo clinic: DEMO_PLAN's patients, each with a name of their own."""
    names = [(first, last) for first in FIRST[:30] for last in LAST[:30]]
    rng.shuffle(names)
    number, walks = 100200, []
    for target, cycles, count in DEMO_PLAN:
        for _ in range(count):
            number += rng.randint(3, 40)
            first, last = names.pop()
            walks.append(
                history(
                    rng,
                    target=target,
                    cycles=cycles,
                    today=today,
                    identifier=f"H{number}",
                    first_name=first,
                    last_name=last,
                    clinician=rng.randrange(clinicians),
                )
            )
    return walks


def clinic_histories(rng: random.Random, n: int, today: date, clinicians: int) -> Iterator[History]:
    """`n` patients drawn from CLINIC_MIX (names repeat, as in a real clinic)."""
    mix = rng.choices([(t, c) for t, c, _ in CLINIC_MIX], weights=[w for *_, w in CLINIC_MIX], k=n)
    for i, (target, cycles) in enumerate(mix):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        yield history(
            rng,
            target=target,
            cycles=cycles,
            today=today,
            identifier=f"H{100000 + 7 * i}",
            first_name=first,
            last_name=last,
            email=f"{first.lower()}.{last.lower()}{i}@example.org",
            clinician=rng.randrange(clinicians),
        )
