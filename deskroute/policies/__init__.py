"""Editable policy files (`policies/*.yaml`), validated on load."""

from deskroute.policies.loader import load_policies
from deskroute.policies.schema import Policies

__all__ = ["Policies", "load_policies"]
