"""A readable Mermaid picture of the compiled graph: the specialists are drawn as one group,
so the 81 possible hand-offs between them become one edge. README.md embeds this output."""

from __future__ import annotations

from langgraph.checkpoint.memory import InMemorySaver

from graph.builder import compile_graph
from graph.routing import SPECIALIST_NAMES

GROUP = "specialists"
LABELS = {
    ("dedupe", "duplicate"): "repeat of an open ticket",
    ("gate", GROUP): "confident",
    ("gate", "escalate"): "unsure / classifier error",
    (GROUP, GROUP): "not mine: hand-off",
    (GROUP, "escalate"): "needs a person",
    (GROUP, "record"): "answered",
    ("record", "review"): "escalated: pause for a person",
    ("review", GROUP): "reassign",
    ("review", "review"): "proposals left to decide",
    ("__start__", "review"): "outcome held without a run",
}


def mermaid() -> str:
    graph = compile_graph(InMemorySaver()).get_graph()
    edges: dict[tuple[str, str], bool] = {}
    for edge in graph.edges:
        source = GROUP if edge.source in SPECIALIST_NAMES else edge.source
        target = GROUP if edge.target in SPECIALIST_NAMES else edge.target
        edges[(source, target)] = edge.conditional
    lines = [
        "flowchart TD",
        f'  subgraph {GROUP} ["specialists: {", ".join(SPECIALIST_NAMES)}"]',
        *[f"    {name}" for name in SPECIALIST_NAMES],
        "  end",
    ]
    for (source, target), conditional in edges.items():
        arrow = "-.->" if conditional else "-->"
        label = LABELS.get((source, target))
        if label:
            arrow = f"-. {label} .->" if conditional else f"-- {label} -->"
        lines.append(f"  {source} {arrow} {target}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(mermaid(), end="")
