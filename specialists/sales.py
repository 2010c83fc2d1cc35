"""Sales: answers pricing from the plan catalogue and hands the lead to an account executive."""

from __future__ import annotations

from deskroute.prompts import TemplateSpec
from specialists.base import Reply, Specialist, Work
from specialists.text import bullets, day, first_sentence, money, words

TRIAL = words("trial", "test ?phase", "testzeitraum", "essai", "prueba", "proefperiode")

TEMPLATES = {
    "plans": TemplateSpec.of("plans", required="plans"),
    "current_plan": TemplateSpec.of("plan seats", required="plan"),
    "lead_created": TemplateSpec.of(""),
    "trial": TemplateSpec.of("plan ends", required="plan ends"),
    "plan_line": TemplateSpec.of(
        "name price min_seats features", required="name price min_seats features"
    ),
}


def handle(w: Work) -> Reply:
    plans = w.call("get_plan_catalog").result or []
    w.say(
        "plans",
        plans=bullets(
            w.phrase(
                "plan_line",
                name=p["name"],
                price=money(p["price_per_seat"], p["currency"]),
                min_seats=p["min_seats"],
                features=", ".join(p["features"]),
            )
            for p in plans
        ),
    )
    if w.customer.known:
        subscription = w.call("get_subscription").result
        if subscription and subscription["status"] == "trialing" and TRIAL.search(w.ticket.text):
            w.say("trial", plan=subscription["plan"], ends=day(subscription["renews_at"]))
        elif subscription:
            w.say("current_plan", plan=subscription["plan"], seats=subscription["seats"])
    interest = w.ticket.subject or first_sentence(w.ticket.body)
    if w.call("create_sales_lead", interest=interest).ok:
        w.say("lead_created")
    return w.reply()


SPECIALIST = Specialist(name="sales", templates=TEMPLATES, handle=handle)
