"""Two-factor sign-in (django-otp): an authenticator app's time-based codes (TOTP), and ten
single-use recovery codes (static tokens) made when the app is set up.

Required for every clinic staff member and every `/admin/` operator; optional for patients,
who must use it once they have set it up (`rules.two_factor_required`). `middleware` sends a
signed-in person who has not entered a code in this session to set it up or to enter one;
`services` does each write with its audit event; `views` and `urls` are its two pages.
"""
