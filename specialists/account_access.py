"""Account access: reads the sign-in history, sends reset links; 2FA resets need approval."""

from __future__ import annotations

from typing import Any

from deskroute.prompts import TemplateSpec
from specialists.base import Reply, Specialist, Work
from specialists.issues import STATUS_TEMPLATES, issue_status
from specialists.text import emails, mask_email, moment, words

TWO_FACTOR = words(
    "2fa",
    "two.?factor",
    "authenticator",
    "mfa",
    "otp",
    "one.?time code",
    "verification code",
    "lost my phone",
    "new phone",
    "security key",
    "backup code",
)
PASSWORD = words(
    "password",
    "passwort",
    "mot de passe",
    "contraseña",
    "reset",
    "forgot",
    "locked",
    "lock(ed)? out",
    "can'?t (log|sign)",
    "cannot (log|sign)",
    "unable to (log|sign)",
)

SSO = words("sso", "single sign.?on", "saml", "identity provider", "okta", "azure ad", "entra id")

# About someone else joining the workspace, not the sender's own sign-ins.
INVITATION = words(
    "invit",
    "einladung",
    "eingeladen",
    "new (hire|starter|joiner|user|colleague|team member|employee)",
    "neue[nr]? (mitarbeiter|kolleg)",
    "nouvel(le)? (employé|collègue|utilisat)",
    "nuevo (empleado|usuario)",
    "onboard",
    "add (a |new )?(user|member|colleague|seat)",
    "activation (e-?mail|link)",
)

SIGN_IN_COMPONENTS = frozenset({"sso", "sign-in", "2fa"})
"""Known issues of these components are sign-in problems: they answer a ticket about signing
in better than the sender's own history (a whole company stuck in a login loop)."""

TEMPLATES = {
    "history": TemplateSpec.of(
        "failed last_failure reason last_success", required="failed last_failure last_success"
    ),
    "history_clean": TemplateSpec.of("last_success", required="last_success"),
    "no_history": TemplateSpec.of(""),
    "locked": TemplateSpec.of("when", required="when"),
    "reset_sent": TemplateSpec.of("email", required="email"),
    "two_factor_pending": TemplateSpec.of("email"),
    "sso": TemplateSpec.of("company"),
    "invitation": TemplateSpec.of(""),
    "invitation_to": TemplateSpec.of("invitee", required="invitee"),
    "known_issue": TemplateSpec.of("id title status workaround", required="id title"),
    **STATUS_TEMPLATES,
    "unknown_customer": TemplateSpec.of("company"),
    # why a sign-in failed, as the history quotes it
    "reason_wrong_password": TemplateSpec.of(""),
    "reason_2fa_failed": TemplateSpec.of(""),
    "reason_locked": TemplateSpec.of(""),
    "reason_sso_error": TemplateSpec.of(""),
    "reason_other": TemplateSpec.of(""),
}

REASONS = frozenset({"wrong_password", "2fa_failed", "locked", "sso_error"})


def _summarise(w: Work, events: list[dict[str, Any]]) -> dict[str, Any]:
    failures = []
    for event in events:
        if event["success"]:
            break
        failures.append(event)
    last_success = next((e for e in events if e["success"]), None)
    since = moment(last_success["at"]) if last_success else None
    if not events:
        w.say("no_history")
    elif failures:
        last = failures[0]
        reason = last["failure_reason"] if last["failure_reason"] in REASONS else "other"
        w.say(
            "history",
            failed=len(failures),
            last_failure=moment(last["at"]),
            reason=w.phrase(f"reason_{reason}"),
            last_success=since or "–",
        )
    elif since:
        w.say("history_clean", last_success=since)
    locked = next((e for e in failures if e["failure_reason"] == "locked"), None)
    if locked:
        w.say("locked", when=moment(locked["at"]))
    return {"failures": failures, "sso": any(e["failure_reason"] == "sso_error" for e in failures)}


def _known_issue(w: Work) -> bool:
    """Say the open sign-in issue the ticket describes, if there is one."""
    matches = w.call("search_known_issues", query=w.ticket.text).result or []
    issue = next((m for m in matches if m["component"] in SIGN_IN_COMPONENTS), None)
    if issue is None:
        return False
    w.say(
        "known_issue",
        id=issue["id"],
        title=issue["title"],
        status=issue_status(w, issue["status"]),
        workaround=issue["workaround"] or "",
    )
    return True


def handle(w: Work) -> Reply:
    if not w.customer.known:
        w.say("unknown_customer")
        return w.reply()
    if INVITATION.search(w.ticket.text):
        # Someone else's invitation: the sender's own sign-in history does not answer it.
        invitees = emails(w.ticket.text, besides=[w.customer.email, w.ticket.customer_email])
        if invitees:
            w.say("invitation_to", invitee=", ".join(invitees[:3]))
        else:
            w.say("invitation")
        return w.reply()
    if _known_issue(w):
        return w.reply()
    history = w.call("get_login_history", limit=10)
    summary = _summarise(w, history.result or [])
    text = w.ticket.text
    if TWO_FACTOR.search(text) or any(
        f["failure_reason"] == "2fa_failed" for f in summary["failures"]
    ):
        result = w.call("reset_2fa")
        if result.status == "proposed" and result.target is None:
            w.say("two_factor_pending", email=mask_email(w.customer.email))
    elif summary["sso"] or SSO.search(text):
        w.say("sso")
    elif PASSWORD.search(text) or summary["failures"]:
        result = w.call("send_password_reset")
        if result.ok:
            w.say("reset_sent", email=mask_email(result.result["to"]))
    return w.reply()


SPECIALIST = Specialist(name="account_access", templates=TEMPLATES, handle=handle)
