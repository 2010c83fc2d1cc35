"""How the review queue, an escalation and corrections look in a terminal."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from deskroute.cli.render import outcome_panel
from deskroute.review.corrections import CorrectionOut
from deskroute.review.views import EscalationDetail, EscalationPage


def _age(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 48 * 60:
        return f"{minutes // 60}h{minutes % 60:02d}"
    return f"{minutes // 1440}d"


def queue_table(page: EscalationPage) -> Group:
    learning = any(item.learning is not None for item in page.items)
    columns = ["ticket", "pri", "waiting", "queue", "category", "reasons", "subject", "open by"]
    table = Table(*columns, *(["why first"] if learning else []))
    table.columns[0].no_wrap = True
    for item in page.items:
        cells: list[str | Text] = [
            item.ticket_id,
            item.priority,
            _age(item.waiting_minutes),
            item.queue,
            item.category or "-",
            ", ".join(item.reasons),
            Text(item.subject[:50]),  # a customer's words, never markup
            Text(item.opened_by or ""),
        ]
        if learning:
            cells.append(Text(item.learning.reason if item.learning is not None else ""))
        table.add_row(*cells)
    counts = Text(
        "by reason: "
        + (", ".join(f"{k} {v}" for k, v in sorted(page.by_reason.items())) or "-")
        + "\nby queue:  "
        + (", ".join(f"{k} {v}" for k, v in sorted(page.by_queue.items())) or "-")
    )
    shown = f"{page.offset + 1}-{page.offset + len(page.items)}" if page.items else "0"
    return Group(table, Text(f"{shown} of {page.count}"), counts)


def detail_panel(detail: EscalationDetail) -> Group:
    parts: list[RenderableType] = []
    s = detail.summary
    lock = f"  (open by {s.opened_by})" if s.opened_by else ""
    parts.append(
        Text(
            f"{s.ticket_id}  {s.priority}  {s.state}  waiting {_age(s.waiting_minutes)}{lock}",
            style="bold",
        )
    )
    parts.append(Text(f"\n{detail.body}\n"))
    for m in detail.messages:
        parts.append(Text(f"--- {m.sender or 'follow-up'}: {m.subject}\n{m.body}\n"))
    outcome = detail.outcome
    waiting = [a for a in outcome.actions if a.status == "proposed"]
    if waiting:
        proposals = Table("#", "tool", "args", "why", box=None)
        for n, a in enumerate(waiting, start=1):
            proposals.add_row(
                str(n),
                a.tool,
                Text(", ".join(f"{k}={v}" for k, v in a.args.items())),
                Text(a.reason or ""),
            )
        parts += [Text("proposed actions (--action N)", style="bold"), proposals]
    parts.append(outcome_panel(outcome))
    if len(detail.history) > 1:
        parts.append(Text(f"history: {len(detail.history)} outcome records"))
    return Group(*parts)


def corrections_table(rows: Sequence[CorrectionOut]) -> Table:
    table = Table("ticket", "kind", "predicted", "conf", "category", "reviewer", "text")
    for r in rows:
        table.add_row(
            r.ticket_id,
            r.kind,
            r.predicted or "-",
            f"{r.confidence:.2f}" if r.confidence is not None else "-",
            r.category,
            Text(r.reviewer),
            Text(r.text.replace("\n", " ")[:60]),
        )
    return table
