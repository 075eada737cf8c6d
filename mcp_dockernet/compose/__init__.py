"""Compose files -> the normalized project model (model.py), as `docker compose config` would print it."""
