"""The step table: one row for every transition of the machine, read by services and pages."""

from __future__ import annotations

from botoxcare.roles import MATRIX
from treatments.models import Course, Transition
from treatments.steps import STEPS, step_for


def machine_transitions() -> set[str]:
    return {t.name for t in Course._meta.get_field("state").get_all_transitions(Course)}


def test_every_transition_of_the_machine_has_one_step_and_no_more():
    assert set(STEPS) == set(Transition)
    assert {t.value for t in Transition} == machine_transitions()


def test_each_step_runs_its_own_transition_and_is_allowed_to_someone():
    for name, step in STEPS.items():
        assert step.run.__name__ == name.value
        assert MATRIX[step.action][0], f"nobody may {name}"
        assert step.success


def test_steps_without_a_form_say_what_they_do_before_they_are_confirmed():
    for step in STEPS.values():
        if step.generic and step.ask_first:
            assert step.confirm, step.transition


def test_step_for_reads_a_slug():
    assert step_for("renew_consent") is STEPS[Transition.RENEW_CONSENT]
    assert step_for("teleport") is None
