"""Privacy: an erasure proposal carries the narrowest scope the ticket supports, and a request
for a copy of one's data is answered as one, in the languages customers write."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError
from sqlmodel import Session, select

from deskroute.errors import ToolError
from deskroute.store.tables import Customer, PersonErasure
from specialists.gate import apply_action
from specialists.tools import TOOLS, Injected

FORMER_EMPLOYEE = (
    "Under GDPR, please delete the personal data of our former employee Jan Kowalski "
    "(jan.kowalski@harbor-logistics.example); he left the company last month."
)
APPROVER = "privacy-officer@brightline.example"


def _sender(customer_id: str) -> Injected:
    return Injected(
        ticket_id="tkt_x", customer_id=customer_id, customer_email=None, now=datetime.now(UTC)
    )


def test_erasure_for_a_former_employee_is_for_that_person_only(run_specialist, workspace) -> None:
    ran = run_specialist("privacy", FORMER_EMPLOYEE, "data_privacy", customer_id="C-1001")
    [erase] = [a for a in ran.actions if a.tool == "delete_customer_data"]
    assert erase.status == "proposed"
    assert erase.args == {
        "scope": "one_person",
        "person": "Jan Kowalski (jan.kowalski@harbor-logistics.example)",
    }
    assert "personal data of Jan Kowalski" in ran.text and "not affected" in ran.text
    policy = workspace.deps.specialists["privacy"].policy
    with Session(workspace.engine) as session:
        effect = apply_action(session, erase, _sender("C-1001"), policy, approved_by=APPROVER)
        session.commit()
    with Session(workspace.engine) as session:
        erasure = session.get(PersonErasure, effect["person_erasure_id"])
        assert erasure is not None and erasure.person.startswith("Jan Kowalski")
        customer = session.get(Customer, "C-1001")  # the account itself is untouched
        assert customer is not None and customer.contact_name == "Anna Weber"


def test_erasure_for_an_unnamed_former_employee_asks_who(run_specialist, workspace) -> None:
    ran = run_specialist(
        "privacy",
        "One of our colleagues has left us. Please delete his personal data under the GDPR.",
        "data_privacy",
        customer_id="C-1001",
    )
    [erase] = [a for a in ran.actions if a.tool == "delete_customer_data"]
    assert erase.status == "proposed" and erase.args == {"scope": "one_person", "person": None}
    assert erase.reason is not None and "without saying whose" in erase.reason
    assert "please tell us their name" in ran.text
    policy = workspace.deps.specialists["privacy"].policy
    with Session(workspace.engine) as session, pytest.raises(ToolError, match="settled"):
        apply_action(session, erase, _sender("C-1001"), policy, approved_by=APPROVER)
    with Session(workspace.engine) as session:
        assert session.exec(select(PersonErasure)).all() == []
        customer = session.get(Customer, "C-1001")
        assert customer is not None and customer.status == "active"


def test_erasure_of_the_senders_own_data_keeps_the_accounts_scope(run_specialist) -> None:
    ran = run_specialist(
        "privacy", "Please delete all my personal data", "data_privacy", customer_id="C-1021"
    )
    [erase] = [a for a in ran.actions if a.tool == "delete_customer_data"]
    assert erase.args == {"scope": "all_personal_data", "person": None}


def test_a_person_is_named_only_for_one_persons_erasure() -> None:
    args = TOOLS["delete_customer_data"].args
    with pytest.raises(ValidationError, match="only for scope one_person"):
        args.model_validate({"scope": "all_personal_data", "person": "Jan Kowalski"})
    assert args.model_validate({"scope": "one_person"}).open_question() is not None


_FR_EXPORT = (
    "copie des données personnelles que nous détenons",
    "accord de traitement",
    "Francfort",
)
_ES_EXPORT = (
    "copia de los datos personales que conservamos",
    "acuerdo de tratamiento",
    "Fráncfort",
)


@pytest.mark.parametrize(
    ("body", "in_its_language"),
    [
        (
            "Bonjour, conformément au RGPD, je demande l'accès à toutes les données personnelles "
            "que vous détenez à mon sujet. Merci.",
            _FR_EXPORT,
        ),
        ("Je souhaite recevoir une copie de mes données personnelles.", _FR_EXPORT),
        ("Hola, solicito el acceso a mis datos personales según el RGPD.", _ES_EXPORT),
    ],
)
def test_an_access_request_in_french_or_spanish_is_an_export(
    run_specialist, body: str, in_its_language: tuple[str, str, str]
) -> None:
    """Answered in the ticket's language: the export template, not the DPA information."""
    ran = run_specialist("privacy", body, "data_privacy", customer_id="C-1003")
    assert ran.status("create_data_export") == "proposed"
    export, agreement, frankfurt = in_its_language
    assert export in ran.text
    assert agreement not in ran.text and frankfurt not in ran.text
    assert "data processing agreement" not in ran.text and "Frankfurt" not in ran.text


def test_a_privacy_question_that_is_not_about_the_dpa_is_not_answered_with_it(
    run_specialist,
) -> None:
    ran = run_specialist(
        "privacy",
        "Does Brightline use our data to train AI models?",
        "data_privacy",
        customer_id="C-1003",
    )
    assert "data processing agreement" not in ran.text and "privacy officer" in ran.text
    dpa = run_specialist(
        "privacy", "Where can we get your DPA?", "data_privacy", customer_id="C-1003"
    )
    assert "data processing agreement" in dpa.text


@pytest.mark.parametrize(
    ("subject", "body", "customer_id", "person"),
    [
        (
            "GDPR erasure request for a former employee",
            "Under GDPR Article 17, please erase the personal data of our former employee Mark\n"
            "Jensen (mark.jensen@meridian-insurance.example).",
            "C-1016",
            "Mark Jensen (mark.jensen@meridian-insurance.example)",
        ),
        (
            "Verwijderen persoonsgegevens oud-medewerker",
            "Beste,\nonze oud-medewerker Pieter Jansen (pieter@devries-bouw.example) vraagt om\n"
            "verwijdering van zijn persoonsgegevens volgens de AVG.",
            "C-1015",
            "Pieter Jansen (pieter@devries-bouw.example)",
        ),
    ],
)
def test_the_person_is_named_from_the_body_not_across_the_subject(
    run_specialist, subject: str, body: str, customer_id: str, person: str
) -> None:
    """A subject ending in a role word is not followed by the body's first words as a name,
    and a name an e-mail client wrapped onto the next line is read whole."""
    ran = run_specialist("privacy", body, "data_privacy", customer_id=customer_id, subject=subject)
    [erase] = [a for a in ran.actions if a.tool == "delete_customer_data"]
    assert erase.args == {"scope": "one_person", "person": person}
