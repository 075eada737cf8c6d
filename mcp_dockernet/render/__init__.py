"""Renderers: pure functions of a Report (only they and the CLI write to the terminal)."""
