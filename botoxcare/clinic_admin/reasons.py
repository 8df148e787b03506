"""Why the clinic admin's pages refuse a change: stable codes that code and tests branch on."""

from enum import StrEnum


class AdminReason(StrEnum):
    USERNAME_TAKEN = "username_taken"
    EMAIL_REQUIRED = "email_required"
    NO_ROLES = "no_roles"
    OWN_ADMIN_ROLE = "own_admin_role"
    OWN_DEACTIVATION = "own_deactivation"
    LAST_ADMIN = "last_admin"
    ALREADY_ACTIVE = "already_active"
    ALREADY_INACTIVE = "already_inactive"
    INACTIVE_MEMBER = "inactive_member"
    SIGN_IN_NOT_PAUSED = "sign_in_not_paused"
    TWO_FACTOR_NOT_SET_UP = "two_factor_not_set_up"
    SETTINGS_INVALID = "settings_invalid"
    MUSCLE_UNITS_NOT_SITES = "muscle_units_not_sites"
    MUSCLE_FIXED_ABOVE_MAX = "muscle_fixed_above_max"
    MUSCLE_LABEL_MISSING = "muscle_label_missing"
    MUSCLES_CHANGED = "muscles_changed"
    MUSCLE_CELL_MISSING = "muscle_cell_missing"
    TOTAL_BELOW_FIXED = "total_below_fixed"
    NOTHING_CHANGED = "nothing_changed"
    HOURS_END_BEFORE_START = "hours_end_before_start"
