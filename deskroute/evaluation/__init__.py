"""Measuring a model on labelled tickets (eval), against past human routing (shadow)."""
