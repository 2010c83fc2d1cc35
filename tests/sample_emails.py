"""Raw e-mails shaped like what real clients send (Gmail, Outlook, Apple Mail, a forward)."""

from __future__ import annotations

GMAIL_MULTIPART = b"""\
Return-Path: <elke.janssens@vandermeer.example>
Received: from mail-wr1-f41.google.example (mail-wr1-f41.google.example [209.85.221.41])
MIME-Version: 1.0
Date: Tue, 12 May 2026 09:14:03 +0200
Message-ID: <CAF3kR9xQ1@mail.gmail.example>
Subject: Invoice INV-2026-0311 wrong VAT rate
From: Elke Janssens <Elke.Janssens@vandermeer.example>
To: support@brightline.example
Cc: ap@vandermeer.example
Content-Type: multipart/mixed; boundary="000000000000a1b2c3"

--000000000000a1b2c3
Content-Type: multipart/alternative; boundary="000000000000d4e5f6"

--000000000000d4e5f6
Content-Type: text/plain; charset="UTF-8"

Hello,

invoice INV-2026-0311 was charged with 20% VAT, but we are a reverse-charge
customer in Belgium. Could you reissue it without VAT?

Thanks,
Elke Janssens
Finance, Vandermeer Logistics
+32 3 555 01 23

--000000000000d4e5f6
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">Hello,<br><br>invoice INV-2026-0311 was charged with 20% VAT ...</div>

--000000000000d4e5f6--

--000000000000a1b2c3
Content-Type: application/pdf; name="INV-2026-0311.pdf"
Content-Disposition: attachment; filename="INV-2026-0311.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K
--000000000000a1b2c3--
"""

OUTLOOK_HTML_REPLY = b"""\
From: "Johan Lind" <johan.lind@brenna.example>
To: "Brightline Support" <support@brightline.example>
Subject: RE: Okta SSO error
Date: Thu, 14 May 2026 08:02:11 +0000
Message-ID: <AM0PR10MB3@eurprd10.prod.outlook.example>
In-Reply-To: <CAokta-first@brenna.example>
References: <CAokta-first@brenna.example>
Content-Type: text/html; charset="us-ascii"
MIME-Version: 1.0

<html><head><style>p {margin:0}</style></head><body>
<p>Hi, any progress on the NameID error for a.lind@brenna.example?</p>
<p>She has been unable to work in Brightline for two days.</p>
<p>Johan</p>
<div id="divRplyFwdMsg"><hr>
<p><b>From:</b> Johan Lind<br><b>Sent:</b> Tuesday, May 12, 2026 10:40<br>
<b>To:</b> Brightline Support<br><b>Subject:</b> Okta SSO error</p></div>
<blockquote><p>One of our users gets 'NameID missing' when signing in.</p></blockquote>
</body></html>
"""

FORWARD = b"""\
From: Claire Dubois <claire.dubois@monfort.example>
To: support@brightline.example
Subject: Fwd: Seat price on INV-2026-0402
Message-ID: <fwd-7781@monfort.example>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Forwarding this again as I haven't had a reply. Payment is due on Friday.

---------- Forwarded message ---------
From: Claire Dubois <claire.dubois@monfort.example>
Date: Mon, 11 May 2026 at 09:12
Subject: Seat price on INV-2026-0402
To: support@brightline.example

Hi,

our invoice INV-2026-0402 shows the Growth plan at 45 per seat, but our order form says 39.
"""

GERMAN_LATIN1 = (
    b"From: =?iso-8859-1?q?J=FCrgen_M=FCller?= <j.mueller@lerchenfeld.example>\n"
    b"To: support@brightline.example\n"
    b"Subject: =?utf-8?b?UmVjaG51bmcgZsO8ciBNw6Ry?=\n"
    b"Message-ID: <de-4410@lerchenfeld.example>\n"
    b"MIME-Version: 1.0\n"
    b"Content-Type: text/plain; charset=iso-8859-1\n"
    b"Content-Transfer-Encoding: quoted-printable\n\n"
    b"Guten Tag,\n\nauf der Rechnung f=FCr M=E4rz fehlt unsere USt-IdNr. Bitte erg=E4nzen.\n\n"
    b"Mit freundlichen Gr=FC=DFen\nJ=FCrgen M=FCller\n"
)

UTF8_HEADERS = (
    "From: Zoë Ångström <zoe@fjell.example>\n"
    "To: support@brightline.example\n"
    "Subject: Export mit Umlauten kaputt – ä ö ü\n"
    "Message-ID: <utf8-1@fjell.example>\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
    "Our CSV export turns Müller into MÃ¼ller.\n"
).encode()


def reply_to(message_id: str, *, own_id: str, sender: str, text: str) -> bytes:
    """A plain-text reply in a thread, quoting the previous message."""
    return (
        f"From: {sender}\nTo: support@brightline.example\nSubject: Re: earlier request\n"
        f"Message-ID: <{own_id}>\nIn-Reply-To: <{message_id}>\nReferences: <{message_id}>\n"
        f"Content-Type: text/plain; charset=utf-8\n\n{text}\n\n"
        f"On Mon, 11 May 2026 at 09:12, Support <support@brightline.example> wrote:\n"
        f"> We are looking into it.\n"
    ).encode()


def long_thread(*, quoted_lines: int = 5000, message_id: str = "long-1@mail.example") -> bytes:
    """A reply of four new lines above a long quoted history (5,000 lines: about 450 KB)."""
    history = "".join(
        f"> {i:05d} An earlier message in this thread, quoted once again"
        " by every reply that followed.\n"
        for i in range(quoted_lines)
    )
    return (
        f"From: Ana <ana@example.com>\nTo: support@brightline.example\nSubject: Re: Export\n"
        f"Message-ID: <{message_id}>\nContent-Type: text/plain; charset=utf-8\n\n"
        "The export is still stuck.\nIt has been queued since Monday.\n"
        "Could someone look at it today?\nWe need it for the board meeting.\n\n"
        f"On Mon, 11 May 2026 at 09:12, Support <support@brightline.example> wrote:\n{history}"
    ).encode()


def nested_multipart(levels: int, *, closed: bool = False) -> bytes:
    """A message whose parts nest `levels` multipart levels deep (a parser-recursion bomb)."""
    opening = b"".join(
        b"--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n" % (i - 1, i)
        for i in range(1, levels)
    )
    closing = b"".join(b"--b%d--\n" % i for i in reversed(range(levels))) if closed else b""
    return (
        b"From: a@example.com\nSubject: deep\nContent-Type: multipart/mixed; boundary=b0\n\n"
        + opening
        + b"--b%d\nContent-Type: text/plain\n\nhi\n" % (levels - 1)
        + closing
    )


EMPTY_RFC822_ATTACHMENT = b"""\
From: a@example.com
Subject: Forwarding the empty message
Content-Type: multipart/mixed; boundary=b

--b
Content-Type: text/plain

See the attached message, it arrived empty.
--b
Content-Type: message/rfc822

--b--
"""

EDGE_CASES: dict[str, tuple[bytes, int]] = {
    "empty body": (b"", 400),
    "blank body": (b"\r\n\r\n", 400),
    "only an empty message/rfc822": (
        b"From: a@example.com\nContent-Type: message/rfc822\n\n",
        422,
    ),
    "an empty message/rfc822 attached": (EMPTY_RFC822_ATTACHMENT, 202),
    "40 nested multipart levels": (nested_multipart(40), 400),
    "700 nested multipart levels": (nested_multipart(700), 400),
    "1,000 nested multipart levels": (nested_multipart(1000), 400),
    "1,000 nested multipart levels, closed": (nested_multipart(1000, closed=True), 400),
}
"""Raw messages at the edges of what parses, and the status each must get (never a 500).
1,000 levels already exhaust the stdlib parser's recursion and stay under the test server's
64 kB request limit (test_email parses 5,000)."""
