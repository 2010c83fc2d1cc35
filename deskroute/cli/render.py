"""How outcome records look in a terminal."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from deskroute.models.outcome import OutcomeRecord

out = Console(soft_wrap=False)
err = Console(stderr=True)


def confidence(record: OutcomeRecord) -> str:
    return f"{record.confidence:.2f}" if record.confidence is not None else "-"


def decision(record: OutcomeRecord) -> Text:
    if record.review is not None and record.state == "resolved":
        last = record.review.last
        return Text(
            f"resolved by {last.reviewer} ({last.action}); escalated for "
            f"{', '.join(record.review.escalated_for or record.escalation_reasons)}",
            style="green",
        )
    if record.escalated:
        return Text(f"escalated: {', '.join(record.escalation_reasons)}", style="yellow")
    if record.duplicate_of:
        return Text(f"duplicate of {record.duplicate_of}", style="cyan")
    return Text("routed", style="green")


def owner(record: OutcomeRecord) -> Text:
    """Who works the ticket now, or why it waits for an agent."""
    a = record.assignment
    if a is None:
        return Text("")
    relaxed = f", {' and '.join(a.relaxed)} relaxed" if a.relaxed else ""
    if a.state == "waiting":
        return Text(f"waiting for an agent: {a.reason}{relaxed}", style="yellow")
    return Text(f"{a.agent} ({a.state}, {a.reason}{relaxed})", style="cyan")


def outcome_panel(record: OutcomeRecord) -> Panel:
    facts = Table.grid(padding=(0, 2))
    facts.add_row("ticket", record.ticket_id)
    facts.add_row(
        "category",
        f"{record.category or '(none)'}  confidence {confidence(record)}"
        f"  via {record.classifier.source or '-'}",
    )
    if record.secondary_intents:
        facts.add_row(
            "also", ", ".join(f"{c.category} {c.score:.2f}" for c in record.secondary_intents)
        )
    facts.add_row("decision", decision(record))
    facts.add_row("queue", f"{record.queue}  priority {record.priority}")
    if record.assignment is not None:
        facts.add_row("owner", owner(record))
    facts.add_row("path", " -> ".join(record.path))
    if record.escalation is not None:
        for r in record.escalation.reasons:
            facts.add_row("why", f"{r.reason}: {r.detail}")
    for note in record.notes:  # e.g. "possibly continues open ticket ...", for the reviewer
        facts.add_row("note", Text(note))
    actions = Table("tool", "status", "args", "note", box=None, show_edge=False)
    for a in record.actions:
        actions.add_row(
            a.tool, a.status, ", ".join(f"{k}={v}" for k, v in a.args.items()), a.reason or ""
        )
    parts: list[RenderableType] = [facts]
    if record.actions:
        parts += [Text("\nactions", style="bold"), actions]
    if record.response:
        parts += [Text("\nresponse", style="bold"), Text(record.response)]
    if record.escalation is not None and record.escalation.draft_reply:
        parts += [
            Text("\ndraft for the reviewer", style="bold"),
            Text(record.escalation.draft_reply, style="dim"),
        ]
    return Panel(Group(*parts), title="outcome", expand=False)


def outcomes_listing(records: Sequence[OutcomeRecord], title: str) -> Group:
    """Two lines per record, like the demo's, so that ticket ids are never cut, even in 80
    columns (they are copied into `outcomes show`): the full ticket id, category and
    confidence, queue; below, the priority and the decision with its specialists."""
    heads = [("ticket", "category", "queue")] + [
        (r.ticket_id, _category(r), r.queue) for r in records
    ]
    ticket, category = (max(len(h[i]) for h in heads) for i in range(2))

    def head(h: tuple[str, str, str]) -> str:
        return f"{h[0]:<{ticket}}  {h[1]:<{category}}  {h[2]}"

    def below(text: Text) -> Padding:
        return Padding(text, (0, 0, 0, 2), expand=False)

    lines: list[RenderableType] = [
        Text(title, style="bold"),
        Text(head(heads[0]), style="bold"),
        below(Text("priority  decision (specialists)", style="bold")),
    ]
    for h, record in zip(heads[1:], records, strict=True):
        lines += [Text(head(h)), below(Text.assemble(f"{record.priority:<8}  ", _verdict(record)))]
    return Group(*lines)


def _category(record: OutcomeRecord) -> str:
    if record.category is None or record.confidence is None:
        return record.category or "-"
    return f"{record.category} {confidence(record)}"


def _verdict(record: OutcomeRecord) -> Text:
    """The decision, in its colour, with the specialists that handled the ticket."""
    if record.escalation is not None:
        path = record.escalation.specialist_path
    else:
        path = [record.specialist] if record.specialist else []
    text = decision(record)
    if path:
        text.append(f" ({' > '.join(path)})")
    if record.assignment is not None:
        text.append(" → ")
        text.append_text(owner(record))
    return text


def demo_listing(rows: Sequence[tuple[str, OutcomeRecord]]) -> Group:
    """Two lines per ticket, to fit 80 columns: number, full ticket id (to copy into `outcomes
    show`), category and confidence, queue; below, the decision and what the ticket shows."""
    heads = [("#", "ticket", "category", "queue")] + [
        (str(n), r.ticket_id, _category(r), r.queue) for n, (_, r) in enumerate(rows, start=1)
    ]
    number, ticket, category = (max(len(h[i]) for h in heads) for i in range(3))
    indent = (0, 0, 0, number + 1)

    def head(h: tuple[str, str, str, str]) -> str:
        return f"{h[0]:>{number}} {h[1]:<{ticket}}  {h[2]:<{category}}  {h[3]}"

    def below(text: Text) -> Padding:
        return Padding(text, indent, expand=False)

    lines: list[RenderableType] = [
        Text(head(heads[0]), style="bold"),
        below(Text("decision (specialists) — what the ticket shows", style="bold")),
    ]
    for h, (shows, record) in zip(heads[1:], rows, strict=True):
        lines += [Text(head(h)), below(Text.assemble(_verdict(record), " — ", shows))]
    return Group(*lines)
