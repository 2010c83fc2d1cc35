"""Sales: answers pricing from the plan catalogue and hands the lead to an account executive."""

from __future__ import annotations

from deskroute.prompts import TemplateSpec
from specialists.base import Reply, Specialist, Work
from specialists.text import bullets, first_sentence, money

TEMPLATES = {
    "plans": TemplateSpec.of("plans", required="plans"),
    "current_plan": TemplateSpec.of("plan seats", required="plan"),
    "lead_created": TemplateSpec.of(""),
}


def handle(w: Work) -> Reply:
    plans = w.call("get_plan_catalog").result or []
    w.say(
        "plans",
        plans=bullets(
            f"{p['name']}: {money(p['price_per_seat'], p['currency'])} per seat per month"
            f" (from {p['min_seats']} seat{'s' if p['min_seats'] > 1 else ''}) - "
            f"{', '.join(p['features'])}"
            for p in plans
        ),
    )
    if w.customer.known:
        subscription = w.call("get_subscription").result
        if subscription:
            w.say("current_plan", plan=subscription["plan"], seats=subscription["seats"])
    interest = w.ticket.subject or first_sentence(w.ticket.body)
    if w.call("create_sales_lead", interest=interest).ok:
        w.say("lead_created")
    return w.reply()


SPECIALIST = Specialist(name="sales", templates=TEMPLATES, handle=handle)
