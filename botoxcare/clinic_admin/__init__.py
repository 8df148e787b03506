"""The clinic admin's pages about the core's models: the clinic's staff and their roles, and
the clinic's settings with their change history. (Consent form versions are in `treatments`,
which owns `ConsentForm`.)"""
