"""Headache diary, questionnaires and response figures: built in a later issue."""
