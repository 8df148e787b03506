"""Why a two-factor code is refused: stable codes that code and tests branch on."""

from enum import StrEnum


class TwoFactorReason(StrEnum):
    WRONG_CODE = "two_factor_wrong_code"
    THROTTLED = "two_factor_throttled"
    NOT_SET_UP = "two_factor_not_set_up"
    ALREADY_SET_UP = "two_factor_already_set_up"
