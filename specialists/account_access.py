"""Account access: reads the sign-in history, sends reset links; 2FA resets need approval."""

from __future__ import annotations

from typing import Any

from deskroute.prompts import TemplateSpec
from specialists.base import Reply, Specialist, Work
from specialists.text import mask_email, moment, words

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

TEMPLATES = {
    "history": TemplateSpec.of(
        "failed last_failure reason last_success", required="failed last_success"
    ),
    "no_history": TemplateSpec.of(""),
    "locked": TemplateSpec.of("when", required="when"),
    "reset_sent": TemplateSpec.of("email", required="email"),
    "two_factor_pending": TemplateSpec.of("email"),
    "sso": TemplateSpec.of("method company"),
    "invitation": TemplateSpec.of(""),
    "unknown_customer": TemplateSpec.of("company"),
}

REASONS = {
    "wrong_password": "wrong password",
    "2fa_failed": "two-factor code rejected",
    "locked": "account locked after repeated failures",
    "sso_error": "single sign-on error",
}


def _summarise(w: Work, events: list[dict[str, Any]]) -> dict[str, Any]:
    failures = []
    for event in events:
        if event["success"]:
            break
        failures.append(event)
    last_success = next((e for e in events if e["success"]), None)
    if not events:
        w.say("no_history")
    else:
        last = failures[0] if failures else None
        w.say(
            "history",
            failed=len(failures),
            last_failure=moment(last["at"]) if last else "none",
            reason=REASONS.get(last["failure_reason"], "unknown") if last else "none",
            last_success=moment(last_success["at"]) if last_success else "none recorded",
        )
    locked = next((e for e in failures if e["failure_reason"] == "locked"), None)
    if locked:
        w.say("locked", when=moment(locked["at"]))
    return {"failures": failures, "sso": any(e["failure_reason"] == "sso_error" for e in failures)}


def handle(w: Work) -> Reply:
    if not w.customer.known:
        w.say("unknown_customer")
        return w.reply()
    if INVITATION.search(w.ticket.text):
        # Someone else's invitation: the sender's own sign-in history does not answer it.
        w.say("invitation")
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
    elif summary["sso"]:
        w.say("sso", method="single sign-on")
    elif PASSWORD.search(text) or summary["failures"]:
        result = w.call("send_password_reset")
        if result.ok:
            w.say("reset_sent", email=mask_email(result.result["to"]))
    return w.reply()


SPECIALIST = Specialist(name="account_access", templates=TEMPLATES, handle=handle)
