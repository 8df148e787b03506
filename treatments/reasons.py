"""The stable codes of the treatment pathway's refusals.

Code, forms, pages and tests branch on these; the sentences a clinician reads are written once,
where each refusal is made (treatments/pathway.py, treatments/dosing.py and the services).
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    # The machine itself
    STEP_NOT_POSSIBLE = "step_not_possible"
    WRONG_STEP = "wrong_step"
    ACTIVE_COURSE_EXISTS = "active_course_exists"
    # Any record of care (treatments/care_dates.py)
    BEFORE_BIRTH = "before_birth"
    BEFORE_COURSE_START = "before_course_start"
    # Step 1
    NO_CONSULTATION = "no_consultation"
    HISTORY_MISSING = "history_missing"
    PREVENTIVES_MISSING = "preventives_missing"
    DIAGNOSIS_NOT_CONFIRMED = "diagnosis_not_confirmed"
    FIGURES_BELOW_CHRONIC = "figures_below_chronic"
    MONTH_DAYS_EXCEEDED = "month_days_exceeded"
    MIGRAINE_ABOVE_HEADACHE = "migraine_above_headache"
    START_RULE_NOT_MET = "start_rule_not_met"
    START_RULE_NEEDS_JUSTIFICATION = "start_rule_needs_justification"
    OVERUSE_UNMANAGED = "overuse_unmanaged"
    RISKS_NOT_DISCUSSED = "risks_not_discussed"
    OVERUSE_NOT_RECORDED = "overuse_not_recorded"
    NOT_AGREED = "not_agreed"
    DECLINE_NOT_RECORDED = "decline_not_recorded"
    # An amendment of a recorded consultation, review, session or aftercare (services/amendments)
    AMENDMENT_REASON_MISSING = "amendment_reason_missing"
    AMENDMENT_UNCHANGED = "amendment_unchanged"
    AMENDMENT_FIELD_NOT_AMENDABLE = "amendment_field_not_amendable"
    AMENDMENT_VALUE_INVALID = "amendment_value_invalid"
    # The patient's medical lists (services/history.py)
    PREVENTIVE_DRUG_MISSING = "preventive_drug_missing"
    LIST_ENTRY_EMPTY = "list_entry_empty"
    # The clinic's consent form versions
    CONSENT_FORM_USED = "consent_form_used"
    CONSENT_FORM_ALREADY_ACTIVE = "consent_form_already_active"
    CONSENT_FORM_EMPTY = "consent_form_empty"
    # Step 2
    NO_CONSENT = "no_consent"
    CONSENT_DATED_LATER = "consent_dated_later"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    CONSENT_EXPIRED = "consent_expired"
    CONSENT_FUTURE = "consent_future"
    CONSENT_NOT_RENEWED = "consent_not_renewed"
    NO_CONSENT_FORM = "no_consent_form"
    CONSENT_REQUEST_CLOSED = "consent_request_closed"
    CONSENT_REQUEST_OPEN = "consent_request_open"
    SIGNER_NAME_MISMATCH = "signer_name_mismatch"
    STATEMENTS_NOT_CONFIRMED = "statements_not_confirmed"
    CONSENT_ALREADY_WITHDRAWN = "consent_already_withdrawn"
    WITHDRAWAL_REASON_MISSING = "withdrawal_reason_missing"
    WITHDRAWAL_FUTURE = "withdrawal_future"
    WITHDRAWAL_BEFORE_SIGNING = "withdrawal_before_signing"
    WITHDRAWAL_BEFORE_SESSION = "withdrawal_before_session"
    CONSENT_OF_ANOTHER_CLINIC = "consent_of_another_clinic"
    CONSENT_STILL_VALID = "consent_still_valid"
    NO_PREPARATION = "no_preparation"
    PREPARATION_NOT_RENEWED = "preparation_not_renewed"
    ADVICE_MISSING = "advice_missing"
    FLAGS_NOT_CLEARED = "flags_not_cleared"
    # Step 3
    NO_SESSION = "no_session"
    SESSION_FUTURE = "session_future"
    SESSION_BEFORE_PREVIOUS = "session_before_previous"
    SESSION_ENDS_BEFORE_START = "session_ends_before_start"
    REACTION_NEEDS_ACTION = "reaction_needs_action"
    RESPONSE_NOT_REVIEWED = "response_not_reviewed"
    WINDOW_NOT_OPEN = "window_not_open"
    BOOKED_BEFORE_WINDOW = "booked_before_window"
    LOT_EXPIRED = "lot_expired"
    LOT_OF_ANOTHER_CLINIC = "lot_of_another_clinic"
    LOT_EXISTS = "lot_exists"
    DILUTION_MISSING = "dilution_missing"
    DILUTION_WRONG = "dilution_wrong"
    VIALS_MISSING = "vials_missing"
    VIALS_INCOMPLETE = "vials_incomplete"
    VIAL_TOO_OLD = "vial_too_old"
    VIAL_RECONSTITUTED_LATER = "vial_reconstituted_later"
    VIAL_UNITS_NOT_ACCOUNTED = "vial_units_not_accounted"
    VIALS_GIVEN_NOT_SITES = "vials_given_not_sites"
    NO_SITES = "no_sites"
    MUSCLE_UNKNOWN = "muscle_unknown"
    MUSCLE_TABLE_INCOMPLETE = "muscle_table_incomplete"
    MUSCLE_UNITS_ABOVE_MAX = "muscle_units_above_max"
    MUSCLE_DOSE_PER_SITE = "muscle_dose_per_site"
    MUSCLE_SITES_ABOVE_MAX = "muscle_sites_above_max"
    SIDES_NOT_SITES = "sides_not_sites"
    SIDES_OF_MIDLINE = "sides_of_midline"
    TOTAL_ABOVE_MAX = "total_above_max"
    # Step 4
    AFTERCARE_NOT_ISSUED = "aftercare_not_issued"
    AFTERCARE_ALREADY_ISSUED = "aftercare_already_issued"
    AFTERCARE_BEFORE_SESSION = "aftercare_before_session"
    NO_FOLLOW_UP = "no_follow_up"
    FOLLOW_UP_ALREADY_BOOKED = "follow_up_already_booked"
    FOLLOW_UP_PAST = "follow_up_past"
    FOLLOW_UP_NOT_AFTER_SESSION = "follow_up_not_after_session"
    # Step 5
    REVIEW_BEFORE_SESSION = "review_before_session"
    STOP_RULE_NEEDS_REASON = "stop_rule_needs_reason"
    NO_DISCONTINUE_REASON = "no_discontinue_reason"
    # The patient booking their own re-treatment visit in the portal
    SELF_BOOKING_CLOSED = "self_booking_closed"
    SELF_BOOKING_OUTSIDE_WINDOW = "self_booking_outside_window"
    SLOT_NOT_FREE = "slot_not_free"
    # Reminders sent from the schedules page
    REMINDER_ALREADY_WAITING = "reminder_already_waiting"
    REMINDER_NOT_IN_FOLLOW_UP = "reminder_not_in_follow_up"
    REMINDER_NO_ROUTE = "reminder_no_route"
    REMINDER_NOT_FAILED = "reminder_not_failed"
