"""The follow-up schedules page: every patient in post-treatment care or maintenance with
their re-treatment status, next visit, last reminder and last contact attempt; its actions,
its CSV export and the admins' list of failed reminders."""
