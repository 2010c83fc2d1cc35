"""Technical issues and outages: matches incidents and known issues, gathers context."""

from __future__ import annotations

from deskroute.prompts import TemplateSpec
from specialists.base import Reply, Specialist, Work
from specialists.issues import STATUS_TEMPLATES, issue_status
from specialists.text import moment

TEMPLATES = {
    "incident": TemplateSpec.of("id title status since", required="id title status"),
    "known_issue": TemplateSpec.of("id title status workaround", required="id title"),
    "known_issue_fixed": TemplateSpec.of("id title advice", required="id title"),
    **STATUS_TEMPLATES,
    "investigating": TemplateSpec.of("plan", required="plan"),
    "investigating_no_plan": TemplateSpec.of(""),
    "related_tickets": TemplateSpec.of("count", required="count"),
}


def handle(w: Work) -> Reply:
    incidents = w.call("get_active_incidents").result or []
    matches = w.call("search_known_issues", query=w.ticket.text).result or []
    incident_ids = {i["id"] for i in incidents}
    cited = False
    if incidents and (w.category == "outage" or any(m["id"] in incident_ids for m in matches)):
        incident = incidents[0]
        w.say(
            "incident",
            id=incident["id"],
            title=incident["title"],
            status=issue_status(w, incident["status"]),
            since=moment(incident["started_at"]),
        )
        cited = True
    if others := [m for m in matches if m["id"] not in incident_ids]:
        issue = others[0]
        w.say(
            "known_issue",
            id=issue["id"],
            title=issue["title"],
            status=issue_status(w, issue["status"]),
            workaround=issue["workaround"] or "none yet",
        )
        cited = True
    if not cited:
        fixed = w.call("search_known_issues", query=w.ticket.text, recently_fixed=True).result
        if fixed:
            issue = fixed[0]
            w.say(
                "known_issue_fixed",
                id=issue["id"],
                title=issue["title"],
                advice=issue["workaround"] or "",
            )
            cited = True
    if not cited:
        subscription = w.call("get_subscription").result if w.customer.known else None
        if subscription:
            w.say("investigating", plan=subscription["plan"])
        else:
            w.say("investigating_no_plan")
    if w.customer.known or w.customer.email:
        recent = w.call("list_recent_tickets", days=14).result or []
        if recent:
            w.say("related_tickets", count=len(recent))
    return w.reply()


SPECIALIST = Specialist(name="technical", templates=TEMPLATES, handle=handle)
