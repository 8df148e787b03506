"""The staff pages of the pathway: record forms, and steps taken by a button."""
