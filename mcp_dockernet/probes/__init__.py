"""Probes: what a client gets at a URL, layer by layer, recorded as facts (never raised)."""
