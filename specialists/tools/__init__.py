"""Every tool a specialist can be allowed, by name."""

from specialists.tools.base import Injected, Tool, ToolArgs
from specialists.tools.lookups import LOOKUPS
from specialists.tools.writes import WRITES

TOOLS: dict[str, Tool] = {tool.name: tool for tool in (*LOOKUPS, *WRITES)}

__all__ = ["TOOLS", "Injected", "Tool", "ToolArgs"]
