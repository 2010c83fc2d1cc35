"""`deskroute report --html FILE`: the report as one self-contained page (styles and SVG
charts inside it; nothing fetched), to open from disk or attach to a mail."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from deskroute.analytics import views
from deskroute.analytics.baseline import Baseline
from deskroute.analytics.present import report_lines
from deskroute.analytics.report import MetricsReport
from deskroute.errors import BadInputError

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_report(report: MetricsReport, *, baseline: Baseline | None = None) -> str:
    return _ENV.get_template("report.html").render(
        report=report,
        lines=report_lines(report, baseline),
        baseline=baseline,
        charts=views.charts(report),
        groups=views.groups(report),
        group_columns=views.GROUP_COLUMNS,
        columns_of=views.group_columns,
    )


def write_report(path: Path, report: MetricsReport, *, baseline: Baseline | None = None) -> None:
    try:
        path.write_text(render_report(report, baseline=baseline), encoding="utf-8")
    except OSError as exc:
        raise BadInputError(f"cannot write it: {exc.strerror or exc}", field=str(path)) from exc
