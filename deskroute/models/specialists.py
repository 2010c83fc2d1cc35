"""The specialist roster, declared once.

The graph has one node per name, `specialists/registry.py` one handler per name, and
`policies/specialists.yaml` and the taxonomy are validated against it, so the three cannot
drift apart.
"""

from __future__ import annotations

from typing import Literal, get_args

SpecialistName = Literal[
    "billing",
    "refunds",
    "account_access",
    "technical",
    "security",
    "privacy",
    "feedback",
    "sales",
    "general",
]
SPECIALIST_NAMES: tuple[SpecialistName, ...] = get_args(SpecialistName)
