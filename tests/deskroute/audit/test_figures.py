"""The audit's figures on the hand-built log (tests/audit_log.py), each worked out by hand."""

from __future__ import annotations

import zipfile
from datetime import datetime, timedelta
from pathlib import Path

from audit_log import HEADER, ROWS, write_log

from deskroute.audit.events import Event
from deskroute.audit.figures import percentile
from deskroute.audit.incidents import fold
from deskroute.audit.mapping import resolve_mapping
from deskroute.audit.report import AuditReport, Times
from deskroute.audit.service import audit_history


def _audit(path: Path, top: int = 10) -> AuditReport:
    return audit_history(path, resolve_mapping(), top=top)


def test_percentiles_are_nearest_rank() -> None:
    assert percentile([], 50) is None
    assert percentile([7.0], 90) == 7.0
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0  # rank ceil(1.5) = 2
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0  # rank 2 of 4
    assert percentile([float(n) for n in range(1, 11)], 90) == 9.0  # rank 9 of 10


def test_headline_figures(history: Path) -> None:
    r = _audit(history)
    assert (r.events, r.incidents) == (11, 4)
    assert (r.first_opened.isoformat(), r.last_opened.isoformat()) == (
        "2026-03-02T09:00:00",
        "2026-03-03T12:00:00",
    )
    assert r.not_measured == []
    assert (r.reassigned, r.reassigned_share) == (2, 0.5)  # INC1 once, INC2 twice
    assert r.reassignments_mean == 0.75  # (1 + 2 + 0 + 0) / 4
    assert (r.sla_met, r.sla_met_share) == (3, 0.75)  # INC2 missed its SLA
    assert (r.reopened, r.reopen_share) == (1, 0.25)  # INC2
    # assignment: INC1 600 s, INC2 0 s, INC3 1800 s; INC4 never assigned
    assert r.never_assigned == 1
    assert (r.time_to_assignment_p50_s, r.time_to_assignment_p90_s) == (600.0, 1800.0)
    # resolution: INC3 3600 s, INC1 7200 s, INC2 14400 s; INC4 not resolved
    assert r.unresolved == 1
    assert (r.time_to_resolution_p50_s, r.time_to_resolution_p90_s) == (7200.0, 14400.0)


def test_per_priority_and_per_group(history: Path) -> None:
    r = _audit(history)
    p1, p2, p3 = r.by_priority
    assert (p1.key, p1.incidents, p1.reassigned_share, p1.sla_met_share) == ("P1", 1, 1.0, 1.0)
    assert p1.time_to_assignment == Times(count=1, p50_s=600.0, p90_s=600.0)
    assert p1.time_to_resolution == Times(count=1, p50_s=7200.0, p90_s=7200.0)
    assert (p2.key, p2.incidents, p2.reassigned_share, p2.sla_met_share) == ("P2", 2, 0.5, 0.5)
    assert p2.time_to_assignment == Times(count=2, p50_s=0.0, p90_s=1800.0)
    assert p2.time_to_resolution == Times(count=2, p50_s=3600.0, p90_s=14400.0)
    assert (p3.key, p3.incidents, p3.reassigned_share) == ("P3", 1, 0.0)
    assert p3.time_to_assignment == Times(count=0, p50_s=None, p90_s=None)
    # groups as last logged, busiest first: INC2, INC3 and INC4 end in Triage, INC1 in Network
    assert [(g.key, g.incidents) for g in r.by_group] == [("Triage", 3), ("Network", 1)]
    triage = r.by_group[0]
    assert (triage.reassigned_share, triage.sla_met_share) == (0.3333, 0.6667)
    assert triage.time_to_resolution == Times(count=2, p50_s=3600.0, p90_s=14400.0)


def test_reassignment_chains(history: Path) -> None:
    r = _audit(history)
    assert [(h.from_group, h.to_group, h.count) for h in r.handoffs] == [
        ("Billing", "Triage", 1),
        ("Triage", "Billing", 1),
        ("Triage", "Network", 1),
    ]
    assert [(c.groups, c.count) for c in r.chains] == [
        (["Triage", "Billing", "Triage"], 1),
        (["Triage", "Network"], 1),
    ]


def test_load_over_people(history: Path) -> None:
    load = _audit(history, top=1).load
    assert load is not None
    # last assignees: INC1 bob, INC2 ann, INC3 ann; INC4 nobody
    assert (load.assignees, load.incidents, load.unassigned) == (2, 3, 1)
    assert (load.min, load.median, load.max, load.mean) == (1, 1.5, 2, 1.5)
    assert load.cv == 0.333  # population deviation 0.5 over mean 1.5
    assert [(p.assignee, p.incidents, p.share) for p in load.top] == [("ann", 2, 0.6667)]
    assert load.top_share == 0.6667


def test_without_the_helpdesk_counters_reassignments_are_the_group_changes_seen(
    tmp_path: Path,
) -> None:
    """An export without reassignment_count, reopen_count and made_sla: reassignments are
    counted from the groups (INC1 once, INC2 twice); SLA and reopens are not measured."""
    keep = 7
    header = ",".join(HEADER.split(",")[:keep])
    rows = [",".join(row.split(",")[:keep]) for row in ROWS]
    r = _audit(write_log(tmp_path / "lean.csv", header, rows))
    assert r.not_measured == ["reassignment_count", "reopen_count", "made_sla"]
    assert (r.reassigned, r.reassignments_mean) == (2, 0.75)
    assert (r.sla_met_share, r.reopen_share, r.sla_met, r.reopened) == (None, None, None, None)


def test_a_zipped_log_reads_the_same(history: Path, tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.write(history, "history.csv")
    zipped, plain = _audit(archive), _audit(history)
    assert zipped.source == f"{archive}:history.csv"
    assert zipped.model_dump(exclude={"source"}) == plain.model_dump(exclude={"source"})


def test_a_mapping_file_names_columns_dates_empty_values_and_separator(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text(
        "number;opened;team;when;who;solved\n"
        "A1;02/03/2026 09:00;Desk;02/03/2026 09:05;?;?\n"
        "A1;02/03/2026 09:00;Desk;02/03/2026 09:20;eve;02/03/2026 10:00\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "columns: {id: number, opened_at: opened, group: team, updated_at: when,\n"
        "          assignee: who, resolved_at: solved}\n"
        'date_format: "%d/%m/%Y %H:%M"\n'
        'delimiter: ";"\n'
        'empty: ["?", ""]\n',
        encoding="utf-8",
    )
    r = audit_history(path, resolve_mapping(file=mapping))
    assert (r.incidents, r.events) == (1, 2)
    # eve is the first assignee, at 09:20; resolved at 10:00
    assert (r.time_to_assignment_p50_s, r.time_to_resolution_p50_s) == (1200.0, 3600.0)
    assert r.not_measured == ["priority", "reassignment_count", "reopen_count", "made_sla"]


def test_an_event_that_clears_the_group_or_person_keeps_the_last_ones_known() -> None:
    opened = datetime(2026, 3, 2, 9, 0)

    def event(minute: int, group: str | None, person: str | None) -> Event:
        return Event(
            id="X1",
            opened_at=opened,
            group=group,
            updated_at=opened + timedelta(minutes=minute),
            assignee=person,
            priority="P3",
            resolved_at=None,
            reassignment_count=None,
            reopen_count=None,
            made_sla=None,
        )

    incident = fold([event(0, "Desk", None), event(5, "Network", "ann"), event(9, None, None)])
    assert (incident.group, incident.assignee, incident.groups) == (
        "Network",
        "ann",
        ("Desk", "Network"),
    )
    assert incident.assigned_at == opened + timedelta(minutes=5)
    assert incident.reassignments == 1  # no counter in the export: the group changes seen
