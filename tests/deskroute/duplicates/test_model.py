"""Near-duplicate scoring on tickets shaped like the labelled pairs."""

from __future__ import annotations

from deskroute.duplicates import Fingerprint, fingerprint, is_duplicate
from deskroute.intake.normalize import normalize_body


def _print(subject: str, body: str, *, email: bool = True) -> Fingerprint:
    return fingerprint(
        subject=subject,
        body=normalize_body(body, is_email=email),
        raw_body=body,
        is_email=email,
    )


ORIGINAL = _print(
    "Seat price on INV-2026-0402",
    "Hi,\n\nour invoice INV-2026-0402 shows the Growth plan at 45 per seat, but our order form "
    "says 39. Could you correct it?\n\nThanks,\nClaire Dubois",
)


def test_forward_and_follow_up_are_duplicates() -> None:
    forward = _print(
        "Fwd: Seat price on INV-2026-0402",
        "Forwarding this again, no reply yet.\n\n---------- Forwarded message ---------\n"
        "From: Claire Dubois <claire@monfort.example>\nDate: Mon, 11 May 2026\n\n"
        "Hi,\n\nour invoice INV-2026-0402 shows the Growth plan at 45 per seat, but our order "
        "form says 39. Could you correct it?\n\nThanks,\nClaire Dubois",
    )
    follow_up = _print(
        "", "any update on INV-2026-0402? still 45 per seat instead of 39", email=False
    )
    assert is_duplicate(ORIGINAL, forward) and is_duplicate(ORIGINAL, follow_up)


def test_same_template_other_invoice_and_new_issue_are_not() -> None:
    other_invoice = _print(
        "Seat price on INV-2026-0419",
        "Hi,\n\nour invoice INV-2026-0419 is missing our purchase order number 4500-2281. Could "
        "you correct it?\n\nThanks,\nClaire Dubois",
    )
    new_issue = _print("", "separate question: can we pay INV-2026-0402 by card?", email=False)
    assert not is_duplicate(ORIGINAL, other_invoice) and not is_duplicate(ORIGINAL, new_issue)


def test_short_texts_repeat_only_word_for_word() -> None:
    short = _print("", "Export fails", email=False)
    assert is_duplicate(short, _print("", "export  fails", email=False))
    assert not is_duplicate(short, _print("", "Import fails", email=False))
