"""Is a new ticket the same request as an earlier one from the same customer?

Near-duplicates come as resends and forwards (the old text inside the new one), follow-ups
("any update on INV-2026-0350?") and paraphrases, often on another channel. Look-alikes that
are *not* duplicates come from templates (the same frame around another invoice or dashboard)
and from customers who raise a second issue ("separate question: ..."). The score combines:

- verbatim inclusion: most word trigrams of the old text appear in the new one;
- word and character n-gram overlap of the customer's own words (quotes, signatures and
  greetings removed), with a small support-domain synonym table for paraphrases;
- specifics (invoice numbers, ids, quoted names, numbers, capitalised names): shared ones
  point to the same request, different ones on both sides to a different request;
- cue phrases for follow-ups and for new issues.

Weights come from a logistic regression fitted on one half of the labelled pairs in
`bench/data/duplicate_pairs.jsonl`; `bench/duplicates.py` refits them and reports precision
and recall on the other half. The threshold favours precision: a false link hides a ticket.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from deskroute.intake.normalize import normalize_body

_WORD = re.compile(r"[^\W_]+(?:[-_'.][^\W_]+)*")
_STOP = frozenset(
    """a an the and or but if of to in on at for from by with about as into over after before is
    are was were be been being am do does did done have has had having i me my we us our you your
    he she it its they them their this that these those there here what which who whom how why
    when where can could would should will shall may might must not no yes please thanks thank
    hi hello hey dear regards best kind cheers team support brightline just also so any some all
    very too than then now still again get got i'm we're it's don't can't isn't doesn't haven't
    there's that's let""".split()
)
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|aw|wg|tr|rv|sv)\s*:\s*)+", re.IGNORECASE)
_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon)|hallo|bonjour|hola|ciao)\b"
    r"(?:\s+(?:support|team|all|there|brightline)[\w -]*)?[,!:]?",
    re.IGNORECASE | re.MULTILINE,
)
_IDENTIFIER = re.compile(
    r"\b(?=[\w-]*\d)[A-Za-z][\w-]*\d[\w-]*\b|\b\w+_\w+\b|\b[a-z]+(?:-[a-z]+)+\b|\S+@\S+\.\w+"
)
_QUOTED = re.compile(r"'([^']{2,40})'")
_NUMBER = re.compile(r"\b\d[\d:.,]*\b")
_PROPER = re.compile(r"(?<=[a-z0-9,;:'\"(]\s)([A-Z]\w+(?:\s+[A-Z]\w+)*)")
_FOLLOW_UP = re.compile(
    r"\b(?:any (?:update|news|progress)|still (?:waiting|not|no|isn|haven|need|queued|running|"
    r"missing|see|broken|failing|happening)|following up|follow(?:ing)?[- ]up|chasing|"
    r"checking in|reminder|as mentioned|i mentioned|mentioned in chat|"
    r"i (?:sent|asked|reported|wrote|suggested)|again|no (?:reply|response|answer|acknowledg)|"
    r"haven't (?:heard|had|received)|not yet received|forward(?:ed|ing)|resend|one more time|"
    r"anyone there)",
    re.IGNORECASE,
)
_NEW_ISSUE = re.compile(
    r"\b(?:separate|different(?: \w+)? (?:issue|problem|question|thing)|"
    r"another (?:question|thing|issue|problem|suggestion)|new (?:issue|problem|question)|also|"
    r"additionally|one more (?:question|thing)|unrelated|other question|"
    r"thanks[,!.]? (?:and|but|now|i'm|it's|for)|is working again|works now|works,? but|"
    r"is back|i'm in now)",
    re.IGNORECASE,
)
_SYNONYMS = [
    "login log-in signin sign-in logon log sign",
    "2fa mfa two-factor authenticator verification otp sms code",
    "invoice bill factura facture rechnung",
    "seat user licence license people person analyst employee",
    "cancel cancellation terminate renew renewal auto-renewal",
    "refund money-back reimburse",
    "export download",
    "email e-mail mail emailed inbox",
    "schedule scheduled weekly week automatically",
    "dashboard report",
    "error fail failing failed broken internal",
    "password reset",
    "quote pricing price cost offer",
    "share external client without login account",
    "region eu hosting hosted stored location residency",
]


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


_CANON = {_stem(w): group.split()[0] for group in _SYNONYMS for w in group.split()}


def _tokens(text: str) -> list[str]:
    words = (m.group().lower() for m in _WORD.finditer(text))
    return [_stem(w) for w in words if w not in _STOP and len(w) > 1]


def _char_grams(tokens: list[str], n: int = 4) -> Counter[str]:
    grams: Counter[str] = Counter()
    for token in tokens:
        padded = f" {token} "
        for i in range(max(1, len(padded) - n + 1)):
            grams[padded[i : i + n]] += 1
    return grams


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def _specifics(text: str) -> frozenset[str]:
    found = {m.group().lower() for m in _IDENTIFIER.finditer(text)}
    found |= {m.group(1).lower() for m in _QUOTED.finditer(text)}
    found |= {m.group() for m in _NUMBER.finditer(text)}
    found |= {m.group(1).lower() for m in _PROPER.finditer(text)}
    return frozenset(found)


@dataclass(frozen=True)
class Fingerprint:
    """What the comparison needs of one ticket, computed once."""

    words: frozenset[str]
    """Content words of the subject and the full text (quotes included)."""
    own_words: frozenset[str]
    """Content words of the customer's own text, synonyms folded together."""
    grams: Counter[str]
    trigrams: frozenset[tuple[str, ...]]
    subject_words: frozenset[str]
    specifics: frozenset[str]
    follow_up: bool
    new_issue: bool


def fingerprint(*, subject: str, body: str, raw_body: str, is_email: bool) -> Fingerprint:
    """`body` is the normalised text (quotes and signature gone), `raw_body` the full one."""
    subject = _REPLY_PREFIX.sub("", subject)
    own = _GREETING.sub("", body or normalize_body(raw_body, is_email=is_email))
    own_text = f"{subject}\n{own}"
    own_tokens = _tokens(own_text)
    return Fingerprint(
        words=frozenset(_tokens(f"{subject}\n{raw_body}")),
        own_words=frozenset(_CANON.get(t, t) for t in own_tokens),
        grams=_char_grams(own_tokens),
        trigrams=frozenset(_trigrams(raw_body)),
        subject_words=frozenset(_tokens(subject)),
        specifics=_specifics(own_text),
        follow_up=bool(_FOLLOW_UP.search(own_text)),
        new_issue=bool(_NEW_ISSUE.search(own)),
    )


def _containment(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(count * b[gram] for gram, count in a.items() if gram in b)
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def verbatim(old: Fingerprint, new: Fingerprint) -> bool:
    """The old text is (almost) all inside the new one: a resend or a forward. Texts too short
    for word trigrams must have the very same words."""
    if not old.trigrams:
        return bool(old.words) and old.words == new.words
    return len(old.trigrams & new.trigrams) / len(old.trigrams) >= 0.9


def pair_features(old: Fingerprint, new: Fingerprint) -> dict[str, float]:
    return {
        "word_containment": _containment(old.words, new.words),
        "char_cosine": _cosine(old.grams, new.grams),
        "own_containment": _containment(old.own_words, new.own_words),
        "subject_overlap": _jaccard(old.subject_words, new.subject_words),
        "shared_specific": float(bool(old.specifics & new.specifics)),
        "specific_conflict": float(
            bool(old.specifics - new.specifics) and bool(new.specifics - old.specifics)
        ),
        "novelty": len(new.own_words - old.own_words) / max(1, len(new.own_words)),
        "follow_up": float(new.follow_up),
    }


WEIGHTS = {  # fitted by `bench/duplicates.py --fit` on the tune half of the labelled pairs
    "word_containment": -1.006,
    "char_cosine": 1.627,
    "own_containment": 4.49,
    "subject_overlap": -4.097,
    "shared_specific": 0.724,
    "specific_conflict": -1.868,
    "novelty": -1.673,
    "follow_up": 4.743,
}
BIAS = 0.308
THRESHOLD = 0.5


def duplicate_score(old: Fingerprint, new: Fingerprint) -> float:
    """Probability-like score that `new` repeats `old`; a new issue is never a duplicate."""
    if new.new_issue:
        return 0.0
    if verbatim(old, new):
        return 1.0
    if not old.trigrams or not new.trigrams:
        return 0.0  # two words or fewer: too little to call anything but a word-for-word repeat
    features = pair_features(old, new)
    z = BIAS + sum(WEIGHTS[name] * value for name, value in features.items())
    return 1.0 / (1.0 + math.exp(-z))


def is_duplicate(old: Fingerprint, new: Fingerprint) -> bool:
    return duplicate_score(old, new) >= THRESHOLD
