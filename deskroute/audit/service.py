"""`audit_history`: the one function the CLI (and anything else) calls to audit an export."""

from __future__ import annotations

from pathlib import Path

from deskroute.audit import figures
from deskroute.audit.incidents import History, read_history
from deskroute.audit.mapping import Columns, ResolvedMapping
from deskroute.audit.report import AuditReport


def audit_history(path: Path, resolved: ResolvedMapping, *, top: int = 10) -> AuditReport:
    """Read the export at `path` and measure its flow; `top`: how many chains and people."""
    return summarise(read_history(path, resolved), top=top)


def summarise(history: History, *, top: int = 10) -> AuditReport:
    incidents = history.incidents
    measured = history.measured
    assignment = {"updated_at", "assignee"} <= measured
    resolution = "resolved_at" in measured
    met, known = figures.sla_met(incidents)
    reopens = [i.reopens for i in incidents if i.reopens is not None]
    reassigned = sum(i.reassignments > 0 for i in incidents)
    to_assignment = figures.times(incidents, figures.to_assignment)
    to_resolution = figures.times(incidents, figures.to_resolution)
    opened = [i.opened_at for i in incidents]
    by_priority = figures.breakdown(
        incidents, lambda i: i.priority, assignment=assignment, resolution=resolution
    )
    return AuditReport(
        source=history.source,
        events=history.events,
        incidents=len(incidents),
        first_opened=min(opened),
        last_opened=max(opened),
        not_measured=[f for f in Columns.model_fields if f not in measured],
        reassigned=reassigned,
        reassigned_share=round(reassigned / len(incidents), 4),
        reassignments_mean=round(sum(i.reassignments for i in incidents) / len(incidents), 3),
        sla_met=met if known else None,
        sla_met_share=figures.share(met, known),
        reopened=sum(n > 0 for n in reopens) if reopens else None,
        reopen_share=figures.share(sum(n > 0 for n in reopens), len(reopens)),
        never_assigned=len(incidents) - to_assignment.count if assignment else None,
        unresolved=len(incidents) - to_resolution.count if resolution else None,
        time_to_assignment_p50_s=to_assignment.p50_s,
        time_to_assignment_p90_s=to_assignment.p90_s,
        time_to_resolution_p50_s=to_resolution.p50_s,
        time_to_resolution_p90_s=to_resolution.p90_s,
        by_priority=sorted(by_priority, key=lambda row: row.key),
        by_group=figures.breakdown(
            incidents, lambda i: i.group, assignment=assignment, resolution=resolution
        ),
        handoffs=figures.handoffs(incidents, top),
        chains=figures.chains(incidents, top),
        load=figures.load(incidents, top),
    )
