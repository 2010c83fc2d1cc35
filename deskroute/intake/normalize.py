"""Text normalisation: quoted replies and signatures out of e-mail bodies, tidy whitespace.

Only the customer's new words should reach the classifier: quoted history repeats old topics
and signatures add names and phone numbers that look like content.
"""

from __future__ import annotations

import re

# A line that starts the quoted history of a reply, in the clients' common languages. Gmail and
# Apple Mail break long attribution lines, so "On ... wrote:" may span two lines.
_ATTRIBUTION = re.compile(
    r"^(?:on\s.{4,200}?\bwrote|am\s.{4,200}?\bschrieb.{0,120}|le\s.{4,200}?\ba\s+écrit"
    r"|el\s.{4,200}?\bescribió|il\s.{4,200}?\bha\s+scritto|op\s.{4,200}?\bschreef.{0,120})\s*:\s*$",
    re.IGNORECASE | re.DOTALL,
)
_HISTORY_SEPARATOR = re.compile(
    r"^\s*(?:-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine"
    r"|mensaje original)\s*-{2,}|_{10,})\s*$",
    re.IGNORECASE,
)
_OUTLOOK_FROM = re.compile(r"^\s*(?:from|von|de)\s*:\s*\S", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(
    r"^\s*(?:sent|date|gesendet|envoyé|enviado|to|an|à|para)\s*:", re.IGNORECASE
)
_FORWARD_MARKER = re.compile(
    r"^\s*(?:-{3,}\s*(?:forwarded message|weitergeleitete nachricht|message transféré"
    r"|mensaje reenviado)\s*-{3,}|begin forwarded message\s*:)\s*$",
    re.IGNORECASE,
)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|wg|tr|rv|enc)\s*:", re.IGNORECASE)
_HEADER_LINE = re.compile(
    r"^\s*(?:from|date|sent|subject|to|cc|von|datum|gesendet|betreff|an|de|objet|à|envoyé"
    r"|para|asunto|enviado)\s*:",
    re.IGNORECASE,
)
_SIG_DELIMITER = re.compile(r"^-- ?$")
_MOBILE_FOOTER = re.compile(
    r"^\s*(?:sent from my \w+|sent from (?:outlook|mail) for \w+|get outlook for \w+"
    r"|von meinem \w+ gesendet|envoyé de mon \w+)",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^\s*(?:(?:best|kind|warm|many)\s+regards|regards|best(?:\s+wishes)?|thanks(?:\s+again)?"
    r"|thank you(?:\s+in advance)?|many thanks|cheers|sincerely|yours(?:\s+sincerely|\s+truly)?"
    r"|mit freundlichen grüßen|viele grüße|beste grüße|lg|cordialement|bien à vous"
    r"|saludos|un saludo|atentamente|cordiali saluti|met vriendelijke groet)\s*[,.!]?\s*$",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\ufeff]")
_BLANK_RUNS = re.compile(r"\n{3,}")
_CUT_MARK = " […]"
_SIGNATURE_MAX_LINES = 6
_SIGNATURE_MAX_CHARS = 80


def _cut_history(lines: list[str], forward: bool) -> list[str]:
    """Drop everything after an Outlook-style history header; drop attribution lines and
    `>`-quoted lines anywhere, so inline answers between quotes survive.

    A forward is different: the forwarded message is what the customer wants us to read, so
    only its header block goes and its quoted text is kept."""
    kept: list[str] = []
    skip_next = in_headers = False
    for i, line in enumerate(lines):
        if skip_next:
            skip_next = False
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if _FORWARD_MARKER.match(line):
            forward = in_headers = True
            continue
        if in_headers:
            if _HEADER_LINE.match(line) or not line.strip():
                continue
            in_headers = False
        outlook_block = _OUTLOOK_FROM.match(line) and _OUTLOOK_NEXT.match(nxt)
        if forward and outlook_block:
            in_headers = True
            continue
        if _HISTORY_SEPARATOR.match(line) or outlook_block:
            break
        if forward and line.startswith(">"):
            kept.append(line.lstrip("> "))
            continue
        if line.startswith(">") or _ATTRIBUTION.match(line):
            continue
        if line.strip() and nxt.rstrip().endswith(":") and _ATTRIBUTION.match(f"{line} {nxt}"):
            skip_next = True
            continue
        kept.append(line)
    return kept


def _cut_signature(lines: list[str]) -> list[str]:
    """Drop the signature block: after `-- `, a mobile footer, or a closing sign-off."""
    for i, line in enumerate(lines):
        if _SIG_DELIMITER.match(line) or _MOBILE_FOOTER.match(line):
            return lines[:i]
    content = [i for i, line in enumerate(lines) if line.strip()]
    for i in reversed(content[1:]):
        if not _SIGN_OFF.match(lines[i]):
            continue
        tail = [ln for ln in lines[i + 1 :] if ln.strip()]
        if len(tail) <= _SIGNATURE_MAX_LINES and all(
            len(ln) <= _SIGNATURE_MAX_CHARS for ln in tail
        ):
            return lines[:i]
        break
    return lines


def collapse_whitespace(text: str) -> str:
    """One space between words, at most one blank line between paragraphs, no edges."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def normalize_subject(subject: str) -> str:
    """One line: every run of whitespace, line breaks of any kind included, is one space, so
    that no subject can smuggle a header (`Hello\nBcc: ...`) into a reply or an export."""
    return " ".join(_INVISIBLE.sub("", subject).split())


def strip_email_noise(body: str, *, subject: str = "") -> str:
    """The new part of an e-mail body: no quoted history, no signature (a forward keeps the
    forwarded message)."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    forward = bool(_FORWARD_SUBJECT.match(subject))
    return "\n".join(_cut_signature(_cut_history(lines, forward)))


def normalize_body(body: str, *, is_email: bool, subject: str = "") -> str:
    """Normalise a ticket body; e-mail bodies also lose quotes and signatures.

    If stripping would leave nothing (a reply that only quotes), the whitespace-collapsed
    original is kept so that no ticket loses all its text.
    """
    if is_email:
        stripped = collapse_whitespace(strip_email_noise(body, subject=subject))
        if stripped:
            return stripped
    return collapse_whitespace(body)


def fit_text(text: str, limit: int) -> tuple[str, list[str]]:
    """The text within `limit` bytes of UTF-8, and a note if it had to be cut (at a character
    boundary, marked `[…]`): a customer's message is kept, never refused for its size."""
    if len(text) * 4 <= limit:  # no character takes more than 4 bytes
        return text, []
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text, []
    room = max(limit - len(_CUT_MARK.encode("utf-8")), 0)
    kept = encoded[:room].decode("utf-8", errors="ignore").rstrip()
    return kept + _CUT_MARK, [f"the text was cut to {limit:,} bytes from {len(encoded):,}"]
