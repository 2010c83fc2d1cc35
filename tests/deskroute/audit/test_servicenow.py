"""The real ServiceNow incident log (../shared): the audit reproduces the counts its README
gives, counted on the last event of each incident."""

from __future__ import annotations

import pytest

from deskroute.audit.mapping import resolve_mapping
from deskroute.audit.report import AuditReport
from deskroute.audit.service import audit_history
from deskroute.settings import PROJECT_ROOT

LOG = PROJECT_ROOT.parent / "shared/datasets/servicenow-incidents/incident_event_log.csv.zip"

pytestmark = pytest.mark.skipif(
    not LOG.is_file(), reason=f"the ServiceNow incident log is absent ({LOG}; ../shared)"
)


@pytest.fixture(scope="module")
def report() -> AuditReport:
    return audit_history(LOG, resolve_mapping(preset="servicenow"))


def test_the_readme_counts(report: AuditReport) -> None:
    assert (report.events, report.incidents) == (119_998, 20_769)
    assert report.reassigned == 9_843
    assert f"{report.reassigned_share:.1%}" == "47.4%"
    assert report.sla_met == 12_595
    assert f"{report.sla_met_share:.1%}" == "60.6%"
    assert {row.key: row.incidents for row in report.by_priority} == {
        "1 - Critical": 220,
        "2 - High": 337,
        "3 - Moderate": 19_554,
        "4 - Low": 658,
    }


def test_every_column_is_read_and_every_figure_is_there(report: AuditReport) -> None:
    assert report.not_measured == []
    assert report.by_group[0].key == "Group 70"  # the busiest, 7,369 incidents
    assert report.load is not None
    assert report.load.unassigned == report.never_assigned == 649  # "?" is nobody
    for figure in (
        report.time_to_assignment_p50_s,
        report.time_to_assignment_p90_s,
        report.time_to_resolution_p50_s,
        report.time_to_resolution_p90_s,
        report.reopen_share,
    ):
        assert figure is not None
    assert report.handoffs and report.chains
