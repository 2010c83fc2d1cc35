"""Pydantic models at every boundary: tickets in, classifications, context, outcome records out."""
