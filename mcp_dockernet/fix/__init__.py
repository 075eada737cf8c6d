"""Fixes: plan edits as data, show them as a diff, apply them atomically, then re-check."""
