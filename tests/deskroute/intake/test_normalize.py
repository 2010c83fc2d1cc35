"""E-mail bodies lose quoted history and signatures; whitespace is tidied everywhere."""

from __future__ import annotations

from deskroute.intake.normalize import collapse_whitespace, normalize_body

GMAIL_REPLY = """Thanks, but the export is still broken.

Can you check again?

On Mon, 3 Nov 2026 at 10:12, Brightline Support <support@brightline.example> wrote:
> We fixed the export.
> Please try again.
"""

WRAPPED_ATTRIBUTION = """It still fails.

On Mon, 3 Nov 2026 at 10:12, Brightline Support <
support@brightline.example> wrote:
> old text
"""

OUTLOOK_REPLY = """Still no invoice!!

From: Brightline Billing <billing@brightline.example>
Sent: Monday, November 3, 2026 10:12 AM
To: Anna Weber
Subject: RE: invoice

The invoice was sent yesterday.
"""

SIGNED = """Hello,

our dashboard shows yesterday's numbers only.

Best regards,
Anna Weber
Head of Data | Harbor Logistics GmbH
+49 40 1234567
"""

GERMAN = """Die Rechnung fehlt.

Mit freundlichen Grüßen
Anna Weber

Am 03.11.2026 um 10:12 schrieb Brightline Support <support@brightline.example>:
> Hallo
"""


def test_gmail_quote_removed() -> None:
    assert normalize_body(GMAIL_REPLY, is_email=True) == (
        "Thanks, but the export is still broken.\n\nCan you check again?"
    )


def test_wrapped_attribution_removed() -> None:
    assert normalize_body(WRAPPED_ATTRIBUTION, is_email=True) == "It still fails."


def test_outlook_history_cut() -> None:
    assert normalize_body(OUTLOOK_REPLY, is_email=True) == "Still no invoice!!"


def test_signature_after_sign_off_removed() -> None:
    assert normalize_body(SIGNED, is_email=True) == (
        "Hello,\n\nour dashboard shows yesterday's numbers only."
    )


def test_german_sign_off_and_attribution() -> None:
    assert normalize_body(GERMAN, is_email=True) == "Die Rechnung fehlt."


def test_sig_delimiter_and_mobile_footer() -> None:
    assert normalize_body("Help please\n-- \nAnna\nACME", is_email=True) == "Help please"
    assert normalize_body("Login broken\n\nSent from my iPhone", is_email=True) == "Login broken"


def test_inline_answers_between_quotes_survive() -> None:
    body = "> Which invoice?\nINV-2026-0101\n> Which amount?\n4,000 EUR"
    assert normalize_body(body, is_email=True) == "INV-2026-0101\n4,000 EUR"


def test_long_closing_paragraph_is_not_a_signature() -> None:
    body = (
        "The export fails.\n\nThanks,\n" + "and one more thing: the export fails only for "
        "tables with more than a million rows, smaller ones are fine.\n"
    )
    assert "million rows" in normalize_body(body, is_email=True)


def test_quote_only_message_keeps_its_text() -> None:
    assert normalize_body("> only a quote", is_email=True) == "> only a quote"


def test_chat_keeps_quotes_and_signoffs() -> None:
    assert normalize_body("> quoted\nThanks,\nAnna", is_email=False) == "> quoted\nThanks,\nAnna"


def test_whitespace_collapsed() -> None:
    assert collapse_whitespace("  a\t\tb\u00a0 c \r\n\r\n\r\n\r\nd\u200b  ") == "a b c\n\nd"


GMAIL_FORWARD = """Hi support, see below - this invoice is wrong.

---------- Forwarded message ---------
From: Brightline Billing <billing@brightline.example>
Date: Mon, 3 Nov 2026 at 10:12
Subject: Invoice INV-2026-0142
To: <anna@harbor.example>

Your invoice INV-2026-0142 for 1,240.00 EUR is attached.

Kind regards,
Brightline Billing
"""

OUTLOOK_FORWARD = """FYI, this is the error our analyst gets.

From: Tom Analyst <tom@harbor.example>
Sent: Monday, November 3, 2026 10:12 AM
To: Anna Weber
Subject: export broken

> The CSV export fails with error 502 since Monday.
"""


def test_forward_keeps_the_forwarded_message() -> None:
    assert normalize_body(GMAIL_FORWARD, is_email=True) == (
        "Hi support, see below - this invoice is wrong.\n\n"
        "Your invoice INV-2026-0142 for 1,240.00 EUR is attached."
    )


def test_outlook_forward_is_recognised_by_its_subject() -> None:
    forwarded = normalize_body(OUTLOOK_FORWARD, is_email=True, subject="FW: export broken")
    assert "CSV export fails with error 502" in forwarded and "Sent:" not in forwarded
    reply = normalize_body(OUTLOOK_FORWARD, is_email=True, subject="RE: export broken")
    assert reply == "FYI, this is the error our analyst gets."
