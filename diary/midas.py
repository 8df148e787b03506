"""MIDAS (Migraine Disability Assessment): five questions, each a count of days in the last
three months, scored as their sum and graded I to IV. Pure: answers in, score out.

Grades (Stewart et al., 2001): I 0 to 5 little or no disability, II 6 to 10 mild, III 11 to 20
moderate, IV 21 or more severe.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from botoxcare.errors import DomainError, Refusal

MAX_DAYS = 90  # the last three months

# (key, the question as the patient reads it)
QUESTIONS: tuple[tuple[str, str], ...] = (
    (
        "q1",
        "On how many days in the last 3 months did you miss work or school because of "
        "your headaches?",
    ),
    (
        "q2",
        "How many days in the last 3 months was your productivity at work or school reduced "
        "by half or more because of your headaches? (Do not count days you counted in the "
        "first question.)",
    ),
    (
        "q3",
        "On how many days in the last 3 months did you not do household work (such as "
        "housework, home repairs, shopping or caring for children) because of your headaches?",
    ),
    (
        "q4",
        "How many days in the last 3 months was your productivity in household work reduced "
        "by half or more because of your headaches? (Do not count days you counted in the "
        "third question.)",
    ),
    (
        "q5",
        "On how many days in the last 3 months did you miss family, social or leisure "
        "activities because of your headaches?",
    ),
)
KEYS = tuple(key for key, _ in QUESTIONS)

# (lowest score of the grade, grade, its meaning)
GRADES: tuple[tuple[int, str, str], ...] = (
    (21, "IV", "Severe disability"),
    (11, "III", "Moderate disability"),
    (6, "II", "Mild disability"),
    (0, "I", "Little or no disability"),
)
GRADE_MEANING = {grade: meaning for _, grade, meaning in GRADES}


class MidasReason(StrEnum):
    ANSWER_MISSING = "midas_answer_missing"
    ANSWER_OUT_OF_RANGE = "midas_answer_out_of_range"


@dataclass(frozen=True)
class MidasResult:
    answers: dict[str, int]
    score: int
    grade: str

    @property
    def meaning(self) -> str:
        return GRADE_MEANING[self.grade]


def midas_grade(score: int) -> str:
    for lowest, grade, _ in GRADES:
        if score >= lowest:
            return grade
    raise ValueError(f"a MIDAS score is never negative: {score}")


def midas_score(answers: Mapping[str, object]) -> MidasResult:
    """Score the five answers (keys q1 to q5, whole days 0 to 90). Raises DomainError with a
    refusal on each missing or impossible answer's field; other keys are ignored."""
    refusals, days = [], {}
    for key in KEYS:
        value = answers.get(key)
        if value is None or value == "" or isinstance(value, bool):
            refusals.append(
                Refusal(MidasReason.ANSWER_MISSING, "Please give a number of days.", key)
            )
            continue
        try:
            number = int(str(value))
        except ValueError:
            number = -1
        if not 0 <= number <= MAX_DAYS:
            refusals.append(
                Refusal(
                    MidasReason.ANSWER_OUT_OF_RANGE,
                    f"A number of days from 0 to {MAX_DAYS} (the last three months).",
                    key,
                )
            )
            continue
        days[key] = number
    if refusals:
        raise DomainError(*refusals)
    score = sum(days.values())
    return MidasResult(days, score, midas_grade(score))
