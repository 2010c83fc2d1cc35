"""Known issues as replies quote them: their status said in the ticket's language."""

from __future__ import annotations

from deskroute.prompts import TemplateSpec
from specialists.base import Work

ISSUE_STATUSES = ("investigating", "identified", "monitoring", "resolved")

STATUS_TEMPLATES = {f"status_{status}": TemplateSpec.of("") for status in ISSUE_STATUSES}
"""The templates a specialist that quotes known issues needs, one per status."""


def issue_status(w: Work, status: str) -> str:
    """The status in the ticket's language (a status the CRM adds later, as it is)."""
    return w.phrase(f"status_{status}") if status in ISSUE_STATUSES else status
