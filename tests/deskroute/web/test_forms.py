"""Decision forms: a proposed action's typed inputs, and a posted form read back into the
decision the API would take, with a problem named by its field."""

from __future__ import annotations

import pytest
from starlette.datastructures import FormData, UploadFile

from deskroute.errors import BadInputError
from deskroute.models.review import Decision
from deskroute.web.forms import FormError, arg_inputs, decision_from_form, typed_values


def test_inputs_follow_the_tools_argument_types() -> None:
    args = {"invoice_number": "INV-2026-0181", "amount": 450.0, "partial": False, "reason": "x"}
    inputs = {i.name: i for i in arg_inputs("issue_refund", args)}
    assert list(inputs) == ["args.invoice_number", "args.amount", "args.partial", "args.reason"]
    amount, partial, reason = inputs["args.amount"], inputs["args.partial"], inputs["args.reason"]
    assert (amount.kind, amount.value, amount.optional) == ("number", "450.00", True)
    assert (partial.kind, partial.value) == ("choice", "false")
    assert partial.choices == (("true", "Yes"), ("false", "No"))
    assert (reason.kind, reason.required, reason.optional) == ("long", True, False)
    scope = arg_inputs("delete_customer_data", {})[0]
    assert scope.choices == (
        ("all_personal_data", "All personal data"),
        ("one_person", "One person"),
    )
    assert scope.value == "all_personal_data"  # the default, when the proposal leaves it out


def test_inputs_keep_what_the_reviewer_typed() -> None:
    [amount, _reason] = arg_inputs("issue_credit", {"amount": 500.0}, {"args.amount": "a lot"})
    assert amount.value == "a lot"


def test_an_edit_form_becomes_the_decision_the_api_takes() -> None:
    form = FormData(
        [
            ("csrf_token", "secret"),
            ("form", "edit-1"),
            ("action", "edit"),
            ("index", "1"),
            ("tool", "issue_refund"),
            ("args.amount", "120.50"),
            ("args.invoice_number", "  "),
            ("args.reason", ""),
            ("reply", "Hello,\r\nrefunded.\r\n"),
        ]
    )
    decision = decision_from_form(form, reviewer="ana")
    assert decision == Decision(
        action="edit",
        reviewer="ana",
        index=1,
        # Empty means "not set" where the tool allows it; a required argument stays empty,
        # for the tool's schema to refuse by name.
        args={"amount": "120.50", "invoice_number": None, "reason": ""},
        reply="Hello,\nrefunded.",
    )
    assert "csrf_token" not in typed_values(form) and typed_values(form)["form"] == "edit-1"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ([("action", "approve please")], "action", "unknown action 'approve please'"),
        ([("action", "reject"), ("index", "first")], "index", "not a number: 'first'"),
        ([("action", "reject")], "reason", "reject needs reason"),
        ([("action", "dismiss"), ("reason", "   ")], "reason", "dismiss needs reason"),
        ([("action", "edit"), ("args.amount", "1")], "tool", "unknown tool ''"),
        ([("action", "reassign"), ("category", "x" * 101)], "category", "at most 100"),
    ],
)
def test_a_form_that_is_no_decision_names_its_field(
    fields: list[tuple[str, str | UploadFile]], field: str, message: str
) -> None:
    with pytest.raises(BadInputError) as bad:
        decision_from_form(FormData(fields), reviewer="ana")
    assert bad.value.field == field and message in bad.value.message


def test_an_error_reads_in_the_forms_words() -> None:
    error = BadInputError("issue_refund: Input should be a valid number", field="args.amount")
    shown = FormError.of(error, {"form": "edit-0", "args.amount": "a lot"})
    assert (shown.form, shown.label, shown.message) == (
        "edit-0",
        "Amount",
        "Input should be a valid number",
    )
