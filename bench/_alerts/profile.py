"""How many tickets arrive in each hour of the week, shaped like the ServiceNow incident log
(../shared/datasets/servicenow-incidents/, UCI "Incident management process enriched event
log", 2016): the mean count of incidents opened in each (weekday, hour) over the log's whole
days (its first and last dates are half-days and left out), scaled so that the mean working
day holds `per_day` tickets. The log's weekday curve peaks at 9-11 h; a weekend day holds about
an eighth of a working day."""

from __future__ import annotations

from collections import Counter

from bench._workday.servicenow import read_incidents

HourOfWeek = tuple[int, int]
"""(weekday, hour): Monday is 0."""


def hourly_profile(per_day: float) -> dict[HourOfWeek, float]:
    """Expected arrivals in each hour of the week."""
    incidents = read_incidents()
    dates = sorted({i.opened_at.date() for i in incidents})
    whole = set(dates[1:-1])
    counts = Counter(
        (i.opened_at.weekday(), i.opened_at.hour) for i in incidents if i.opened_at.date() in whole
    )
    days_of = Counter(d.weekday() for d in whole)
    mean = {(w, h): counts[(w, h)] / days_of[w] for w in range(7) for h in range(24)}
    working_day = sum(v for (w, _), v in mean.items() if w < 5) / 5
    return {key: value * per_day / working_day for key, value in mean.items()}
