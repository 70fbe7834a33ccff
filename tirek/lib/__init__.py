"""Helpers that import no Tirek models (and no Django models at all)."""
