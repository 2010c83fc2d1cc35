"""Escalation review: the people who review escalated tickets, and what they do to them."""
