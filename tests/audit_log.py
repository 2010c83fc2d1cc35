"""A small hand-built event log whose figures the tests compute by hand.

Four incidents, eleven events, ISO dates and the audit's default column names:
- INC1 (P1) opened 09:00, assigned to ann at 09:10, moved Triage -> Network (bob) at 09:30,
  resolved 11:00 within SLA;
- INC2 (P2) opened 10:00 assigned to ann at once, Triage -> Billing -> Triage, reopened,
  resolved 14:00, SLA missed; its first two events are listed out of order in the file;
- INC3 (P2) opened 08:00 next day, assigned at 08:30, resolved 09:00 within SLA;
- INC4 (P3) opened 12:00 next day, nobody assigned, not resolved, SLA still met.
"""

from __future__ import annotations

from pathlib import Path

HEADER = (
    "id,opened_at,updated_at,group,assignee,priority,resolved_at,"
    "reassignment_count,reopen_count,made_sla"
)
ROWS = [
    "INC1,2026-03-02 09:00,2026-03-02 09:00,Triage,,P1,,0,0,true",
    "INC1,2026-03-02 09:00,2026-03-02 09:10,Triage,ann,P1,,0,0,true",
    "INC2,2026-03-02 10:00,2026-03-02 10:20,Billing,carl,P2,,1,0,true",
    "INC2,2026-03-02 10:00,2026-03-02 10:00,Triage,ann,P2,,0,0,true",
    "INC1,2026-03-02 09:00,2026-03-02 09:30,Network,bob,P1,,1,0,true",
    "INC1,2026-03-02 09:00,2026-03-02 11:00,Network,bob,P1,2026-03-02 11:00,1,0,true",
    "INC2,2026-03-02 10:00,2026-03-02 10:40,Triage,ann,P2,,2,0,true",
    "INC2,2026-03-02 10:00,2026-03-02 14:00,Triage,ann,P2,2026-03-02 14:00,2,1,false",
    "INC3,2026-03-03 08:00,2026-03-03 08:30,Triage,ann,P2,,0,0,true",
    "INC3,2026-03-03 08:00,2026-03-03 09:00,Triage,ann,P2,2026-03-03 09:00,0,0,true",
    "INC4,2026-03-03 12:00,2026-03-03 12:00,Triage,,P3,,0,0,true",
]


def write_log(path: Path, header: str = HEADER, rows: list[str] = ROWS) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path
