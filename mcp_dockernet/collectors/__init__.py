"""Collectors read live state (the Docker engine, the host) into frozen facts."""
