"""Every demo ticket shows what its line in the demo table says it shows."""

from __future__ import annotations

from deskroute.demo import demo_settings, run_demo


def test_every_demo_ticket_shows_what_it_claims(settings) -> None:
    _, results = run_demo(settings)
    wrong = []
    for demo_ticket, record in results:
        if demo_ticket.expect == "routed":
            ok = not record.escalated and record.duplicate_of is None
        elif demo_ticket.expect == "duplicate":
            ok = record.duplicate_of is not None
        else:
            ok = record.escalated and demo_ticket.expect in record.escalation_reasons
        if not ok:
            wrong.append(
                f"{demo_ticket.shows}: {record.category} ({record.confidence}), "
                f"escalated={record.escalated} {record.escalation_reasons}"
            )
    assert not wrong, "\n".join(wrong)


def test_the_demo_redacts_card_numbers_at_rest(settings) -> None:
    assert not settings.redact_at_rest  # off unless asked for
    assert demo_settings(settings).redact_at_rest
