"""Is a new ticket the same request as an earlier one from the same customer?

Near-duplicates come as resends and forwards (the old text inside the new one), follow-ups
("any update on INV-2026-0350?", "bump. still stuck.") and paraphrases, often on another channel.
Look-alikes that are *not* duplicates come from templates (the same frame around another invoice,
dashboard, user or amount), from customers who raise a second issue ("separate question: ...")
and from customers whose first issue is solved and who now ask something new ("works again,
but ..."). The decision is made in three steps:

1. Rules. A new-issue cue or a "the old problem is solved" cue in the customer's *new* words
   (sentences not copied from the old ticket) means a different ticket. Verbatim inclusion (most
   word trigrams of the old text inside the new one, every specific of the old text kept) means a
   resend or a forward. Texts of two words or fewer only match word for word.
2. Features of the pair, see `pair_features`: overlap of the customer's own content words
   (synonyms folded, plain and weighted by an inverse document frequency taken from the example
   tickets in `policies/examples/`, frozen in `word_df.json`), character n-grams of content
   words, subject-against-text overlap, specifics (ids, e-mail addresses, quoted names, amounts,
   dates, names) kept, shared or replaced by others of the same kind, follow-up cues.
3. A logistic regression over the features; `bench/duplicates.py --fit` fits WEIGHTS, BIAS and
   THRESHOLD on all labelled pairs and reports honest (held-out) figures. The threshold favours
   precision: a false link hides a ticket from routing.

Pure Python; a pair score costs well under a millisecond.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from deskroute.intake.normalize import normalize_body

WORD_DF = Path(__file__).with_name("word_df.json")
"""Document frequencies of content words in the example tickets (`bench/duplicates.py --fit`
writes it from `policies/examples/`)."""

_WORD = re.compile(r"[^\W_]+(?:[-_'.][^\W_]+)*")
_STOP = frozenset(
    """a an the and or but if of to in on at for from by with about as into over after before is
    are was were be been being am do does did done have has had having i me my we us our you your
    he she it its they them their this that these those there here what which who whom how why
    when where can could would should will shall may might must not no yes please thanks thank
    hi hello hey dear regards best kind cheers team support brightline just also so any some all
    very too than then now still again get got i'm we're it's don't can't isn't doesn't haven't
    there's that's let ok okay
    der die das den dem des ein eine einen einem und oder aber ist sind war wir ich sie es mit
    auf für von zu im in nicht bitte danke hallo unser unsere unseren uns mein meine noch schon
    le la les un une des du de et ou mais est sont nous vous je il elle pas pour sur dans avec
    ce cette nos notre merci bonjour au aux
    el los las una unos y o pero es son nosotros yo por para con en del al nuestro nuestra gracias
    hola que
    o os um uma e mas é são nós eu não para com em do da dos das nosso nossa obrigado olá
    il lo gli uno e ma è sono noi io non per con nel della del nostro nostra grazie ciao
    het een en maar is zijn wij ik niet voor met op van onze ons bedankt""".split()
)
_REPLY_PREFIX = re.compile(
    r"(?:^|(?<=\s)|(?<=\]))(?:re|fwd?|aw|wg|tr|rv|sv|enc)\s*:\s*|\[[^\]\n]*#\s?\d+[^\]\n]*\]\s*",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon)|hallo|bonjour|hola|ciao|olá|hej"
    r"|guten tag|buongiorno|goedemiddag|dzień dobry)\b"
    r"(?:\s+(?:support|team|all|there|again|brightline)[\w -]*)?[,!:]?",
    re.IGNORECASE | re.MULTILINE,
)
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+|\s+-\s+")

# Specifics: what distinguishes one request from a templated sibling.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HOST = re.compile(r"\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b")
_ID = re.compile(
    r"(?<![\w@])(?=[\w./:-]*\d)(?=[\w./:-]*(?:[^\W\d_]|\d[-_/.:]\d))[\w]+(?:[-_/.:][\w]+)*"
)
_QUOTED = re.compile(
    r"(?<!\w)'([^'\n]{2,40})'(?!\w)|\"([^\"\n]{2,40})\"|«\s?([^»\n]{2,40}?)\s?»|“([^”\n]{2,40})”"
)
_AMOUNT = re.compile(
    r"(?:[€$£]\s?\d[\d.,]*\d?|\b\d[\d.,]*\s?(?:eur|usd|gbp|chf|€|k)\b|(?<![\d.,])\d+[.,]\d+(?![\d.,])|\b\d+\s?%)",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\b\d+\b")
_MONTH = re.compile(
    r"\b(?:jan(?:uary|vier|uar)?|feb(?:ruary|ruar)?|février|mar(?:ch|s)?|märz|apr(?:il)?|avril"
    r"|may|mai|june?|juin|juni|july?|juillet|juli|aug(?:ust)?|août|sep(?:tember|tembre)?"
    r"|oct(?:ober|obre)?|okt(?:ober)?|nov(?:ember|embre)?|dec(?:ember)?|décembre|dez(?:ember)?"
    r"|q[1-4])\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?<=[a-z0-9,;'\"(][ \t])([A-Z][\w&]+(?:[ \t]+[A-Z][\w&]+)+)")
_SPEC_TOKEN = re.compile(r"[\w@]+(?:[-.:/,'@+][\w@]+)*")

_STRONG = ("email", "id", "quoted", "amount")
_WEAK = ("name", "month", "number")

# Cues are looked for sentence by sentence in the customer's own text.
_FOLLOW_UP = re.compile(
    r"\b(?:any (?:update|news|progress|word|answer|luck|decision|feedback|reply|response)"
    r"|still (?:waiting|not|no|isn|haven|need|queued|running|missing|see|broken|failing|happening"
    r"|hoping|stuck|suspended|locked|shows|showing|getting|the same|pointing|in our|have|get"
    r"|receiv\w*|here|frozen|seeing|happen\w*|down|empty|wrong|blocked|unable|can't|cannot)"
    r"|following up|follow(?:ing)?[- ]up|chasing|please chase|checking (?:in|on|back|whether)"
    r"|just checking|reminder|bump(?:ing)?\b|as mentioned|(?:i|we) mentioned|mentioned (?:in|on)"
    r"|(?:i|we|i've|we've|i had|we had|i have|we have)(?: already)? (?:sent|asked|reported|wrote"
    r"|emailed|submitted|filled|requested|raised|filed|opened|posted|called)"
    r"|(?:asked|emailed|submitted|wrote|posted|filed|raised|reported|mentioned)"
    r"(?: this| it| a \w+| about \w+(?: \w+)?)? (?:in chat|on chat|by (?:e-?)?mail|via (?:e-?)?mail"
    r"|via chat|through|earlier|yesterday|this morning|on \w+day|last \w+|a few|before|already)"
    r"|(?:my|our|the) (?:e-?mail|mail|message|form|ticket|request|question) (?:from|of|earlier"
    r"|yesterday|this morning|last|on \w+day|below)|same as (?:my|the|our)|(?:here|this) too"
    r"|(?:third|second|\d+(?:st|nd|rd|th)) (?:time|submission|attempt|request)"
    r"|(?:my|our|the) (?:previous|earlier|last|first|original) (?:message|e-?mail|mail|request"
    r"|ticket|note|submission)|should have (?:said|mentioned|added)"
    r"|forgot to (?:mention|say|add|attach)|(?:wanted|want) to add|adding (?:context|details|more)"
    r"|no (?:reply|response|answer|acknowledg|word|confirmation)|never (?:got|heard|received)"
    r"|haven't (?:heard|had|received|got|seen)|not yet received|didn't (?:get|hear|receive)"
    r"|(?:re-?)?forwarding (?:this|again|my|our|the|it|below|as)|re-?forward"
    r"|(?:resending|re-sending|sending (?:this |it )?again|submitting (?:this |it )?again"
    r"|trying again|here it is again|asking again|once again|one more time)"
    r"|(?:get|got|had|have) a chance|any (?:idea|thoughts)s? (?:yet|on|about|re)|\bping\b"
    r"|\byet\?|anyone there|someone (?:please )?answer|hello\?"
    r"|(?<!hi )(?<!hello )(?<!me )(?<!here )"
    r"(?<!admin )(?<!works )(?<!working )(?<!runs )(?<!fine )again\b"
    r"|erneut|nochmal|noch (?:keine|immer|nicht)|keine antwort|neuigkeiten|nachfrage"
    r"|ich hatte|wir hatten|relance|je renvoie|renvoie mon|sans réponse|toujours pas"
    r"|pas de réponse|des nouvelles|reenviando|reenvio|sem resposta|ainda (?:não|sem)"
    r"|novidade|sin respuesta|todavía|alguna novedad|sollecito|nessuna risposta|novità"
    r"|nog geen|opnieuw|de nuevo|de novo|à nouveau|di nuovo|sigue|continua)"
    r"|\?\?|[\u2026]\s*$",
    re.IGNORECASE,
)
_NEW_ISSUE = re.compile(
    r"\b(?:separate(?: \w+)? (?:question|issue|topic|query|request|thing|problem|matter)"
    r"|separately|different(?: \w+)? (?:issue|problem|question|thing|topic)"
    r"|another (?:question|thing|issue|problem|suggestion|request|topic)"
    r"|new (?:issue|problem|question)|also(?! (?:happy|glad|available|attach|cc|copied))"
    r"|additionally|one more (?:question|thing)|unrelated|other question|something else"
    r"|follow[- ](?:on|up) question|while i'm here|by the way|btw"
    r"|thanks[,!.]? (?:and|but|now|i'm|it's|for)"
    r"|outra coisa|autre chose|otra cosa|etwas anderes|andere frage|altra cosa|iets anders)",
    re.IGNORECASE,
)
_SOLVED = re.compile(
    r"(?<!not )(?<!n't )(?<!never )(?<!still )\b(?:(?:works?|working|runs?|running|syncs?"
    r"|syncing|refreshing|loads?|loading|is (?:fine|back)|are (?:back|fine)|arrived) (?:again|now)"
    r"|fixed(?: it| now)?\b(?!\?)|is (?:fixed|resolved|solved|sorted)|been (?:fixed|resolved)"
    r"|(?:resolved|solved|sorted)(?: it| now)?[.!,:)]|turned out|that part is done|scratch that"
    r"|(?:went|goes|came) (?:out|through) fine|(?:is |are |all )?(?:fine|good) now|found it"
    r"|i'm in now|já apareceram|funciona de novo|funktioniert wieder|klappt wieder"
    r"|marche (?:à nouveau|de nouveau)|funziona di nuovo|werkt weer)",
    re.IGNORECASE,
)
_SYNONYMS = [
    "login log-in signin sign-in logon log sign signed authenticate re-authenticate",
    "2fa mfa two-factor authenticator verification otp sms code",
    "invoice bill factura facture rechnung fattura",
    "seat user licence license people person analyst employee staff member users",
    "cancel cancellation terminate renew renewal auto-renewal",
    "refund money-back reimburse credit",
    "export download exported",
    "email e-mail mail emailed inbox mailbox",
    "schedule scheduled scheduler automatically",
    "dashboard report board",
    "error fail failing failed broken internal denied",
    "password reset",
    "quote quotation pricing price cost offer",
    "share shared sharing external client",
    "region eu hosting hosted stored location residency",
    "remove delete erase erasure purge",
    "slow lento langsam performance",
    "connector connection integration",
    "sync synchronise synchronize refresh import load",
    "workspace account tenant",
    "admin administrator owner ownership",
    "expire expired expiry",
    "favourite favorite starred star",
    "credential key token",
    "duplicate twice doubled double",
    "alert notification",
    "contract agreement msa",
    "stuck processing spinner hang",
    "empty blank disappeared missing",
    "wrong incorrect",
    "limit quota",
    "timezone zone",
]


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


_CANON = {_stem(w): group.split()[0] for group in _SYNONYMS for w in group.split()}


def _tokens(text: str) -> list[str]:
    words = (m.group().lower().replace("\u2019", "'") for m in _WORD.finditer(text))
    return [_stem(w) for w in words if w not in _STOP and len(w) > 1]


def content_words(text: str) -> list[str]:
    """Content words with synonyms folded: the unit of the overlap features and of `word_df`."""
    return [_CANON.get(t, t) for t in _tokens(text)]


@cache
def _document_frequency() -> tuple[int, dict[str, int]]:
    try:
        data = json.loads(WORD_DF.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 1, {}
    return int(data["documents"]), {str(k): int(v) for k, v in data["df"].items()}


def idf(word: str) -> float:
    """BM25-style inverse document frequency over the example tickets; unseen words weigh most."""
    n, df = _document_frequency()
    d = df.get(word, 0)
    return math.log(1.0 + (n - d + 0.5) / (d + 0.5))


def _char_grams(tokens: list[str], n: int = 4) -> Counter[str]:
    grams: Counter[str] = Counter()
    for token in tokens:
        padded = f" {token} "
        for i in range(max(1, len(padded) - n + 1)):
            grams[padded[i : i + n]] += 1
    return grams


def _trigrams(text: str) -> frozenset[tuple[str, ...]]:
    words = [w.lower().replace("\u2019", "'") for w in _WORD.findall(text)]
    return frozenset(tuple(words[i : i + 3]) for i in range(len(words) - 2))


def _spec_text(text: str) -> str:
    return " " + " ".join(m.group().lower() for m in _SPEC_TOKEN.finditer(text)) + " "


def _specifics(text: str) -> dict[str, frozenset[str]]:
    """Typed specifics, each in the normalised form `_spec_text` would give it."""
    found: dict[str, set[str]] = {kind: set() for kind in (*_STRONG, *_WEAK)}
    for m in _EMAIL.finditer(text):
        found["email"].add(m.group().lower().strip("."))
    without_emails = _EMAIL.sub(" ", text)
    for m in _ID.finditer(without_emails):
        found["id"].add(m.group().lower().strip(".:/-"))
    for m in _HOST.finditer(without_emails):
        found["id"].add(m.group())
    for m in _QUOTED.finditer(text):
        value = next(g for g in m.groups() if g is not None)
        found["quoted"].add(_spec_text(value).strip())
    for m in _AMOUNT.finditer(text):
        found["amount"].add(_spec_text(m.group()).strip())
    for m in _NAME.finditer(text):
        found["name"].add(_spec_text(m.group(1)).strip())
    for m in _MONTH.finditer(text):
        found["month"].add(m.group().lower()[:3])
    for m in _NUMBER.finditer(without_emails):
        if len(m.group()) >= 2:
            found["number"].add(m.group())
    return {kind: frozenset(v for v in values if v) for kind, values in found.items()}


@dataclass(frozen=True)
class Sentence:
    """One sentence of the customer's own text with the cues it carries."""

    trigrams: frozenset[tuple[str, ...]]
    words: frozenset[str]
    follow_up: bool
    new_issue: bool
    solved: bool


@dataclass(frozen=True)
class Fingerprint:
    """What the comparison needs of one ticket, computed once."""

    words: frozenset[str]
    """Content words of the subject and the full text (quotes included)."""
    own_words: frozenset[str]
    """Content words of the customer's own text, synonyms folded together."""
    own_weight: float
    """Sum of the IDF of `own_words`."""
    grams: Counter[str]
    trigrams: frozenset[tuple[str, ...]]
    """Word trigrams of the full body (quotes included)."""
    subject_trigrams: frozenset[tuple[str, ...]]
    subject_words: frozenset[str]
    reply: bool
    """The subject carries a reply or forward prefix."""
    body_words: frozenset[str]
    specifics: dict[str, frozenset[str]]
    """Typed specifics of the customer's own text."""
    spec_text: str
    """The full text, normalised for looking up another ticket's specifics."""
    all_specifics: frozenset[str]
    """Specifics of any kind in the full text (subject and quotes included)."""
    sentences: tuple[Sentence, ...]

    @property
    def follow_up(self) -> bool:
        return any(s.follow_up for s in self.sentences)

    @property
    def new_issue(self) -> bool:
        return any(s.new_issue or s.solved for s in self.sentences)


def _sentences(text: str) -> tuple[Sentence, ...]:
    out = []
    for part in _SENTENCE.split(text):
        if not part.strip():
            continue
        out.append(
            Sentence(
                trigrams=_trigrams(part),
                words=frozenset(_tokens(part)),
                follow_up=bool(_FOLLOW_UP.search(part)),
                new_issue=bool(_NEW_ISSUE.search(part)),
                solved=bool(_SOLVED.search(part)),
            )
        )
    return tuple(out)


def fingerprint(*, subject: str, body: str, raw_body: str, is_email: bool) -> Fingerprint:
    """`body` is the normalised text (quotes and signature gone), `raw_body` the full one."""
    reply = bool(_REPLY_PREFIX.search(subject))
    subject = _REPLY_PREFIX.sub("", subject).strip()
    body = body or normalize_body(raw_body, is_email=is_email)
    own_body = _GREETING.sub("", body)
    own_text = f"{subject}\n{own_body}"
    own_tokens = _tokens(own_text)
    own_words = frozenset(_CANON.get(t, t) for t in own_tokens)
    full = f"{subject}\n{raw_body}"
    return Fingerprint(
        words=frozenset(_tokens(full)),
        own_words=own_words,
        own_weight=sum(idf(w) for w in own_words),
        grams=_char_grams(own_tokens),
        trigrams=_trigrams(raw_body),
        subject_trigrams=_trigrams(subject),
        subject_words=frozenset(content_words(subject)),
        reply=reply,
        body_words=frozenset(content_words(own_body)),
        specifics=_specifics(own_text),
        spec_text=_spec_text(full),
        all_specifics=frozenset(v for values in _specifics(full).values() for v in values),
        sentences=_sentences(f"{subject}\n{body}"),
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


def _copied(sentence: Sentence, old: Fingerprint) -> bool:
    """The sentence repeats the old ticket (a quote or a resend), so its cues are old ones."""
    if sentence.trigrams:
        copied = sentence.trigrams & (old.trigrams | old.subject_trigrams)
        return len(copied) / len(sentence.trigrams) >= 0.6
    return bool(sentence.words) and sentence.words <= old.words


def _cues(old: Fingerprint, new: Fingerprint) -> tuple[bool, bool, bool]:
    """(follow_up, new_issue, solved) in the sentences of `new` not copied from `old`."""
    follow_up = new_issue = solved = False
    for sentence in new.sentences:
        if not (sentence.follow_up or sentence.new_issue or sentence.solved):
            continue
        if _copied(sentence, old):
            continue
        follow_up |= sentence.follow_up
        new_issue |= sentence.new_issue
        solved |= sentence.solved
    return follow_up, new_issue, solved


def _missing(a: Fingerprint, b: Fingerprint, kinds: tuple[str, ...]) -> set[str]:
    """Kinds of which `a` names a specific that `b` nowhere mentions."""
    return {
        kind
        for kind in kinds
        for value in a.specifics[kind]
        if value not in b.all_specifics and f" {value} " not in b.spec_text
    }


def _kept(a: Fingerprint, b: Fingerprint, kinds: tuple[str, ...]) -> int:
    return sum(
        1
        for kind in kinds
        for value in a.specifics[kind]
        if value in b.all_specifics or f" {value} " in b.spec_text
    )


def verbatim(old: Fingerprint, new: Fingerprint) -> bool:
    """The old text is (almost) all inside the new one, specifics included: a resend or a
    forward. Texts too short for word trigrams must have the very same words."""
    if not old.trigrams:
        return bool(old.words) and old.words == new.words
    if len(old.trigrams & new.trigrams) / len(old.trigrams) < 0.85:
        return False
    return not _missing(old, new, (*_STRONG, "name", "month"))


def pair_features(old: Fingerprint, new: Fingerprint) -> dict[str, float]:
    follow_up, _, _ = _cues(old, new)
    shared = old.own_words & new.own_words
    weight = sum(idf(w) for w in shared)
    idf_containment = weight / min(old.own_weight, new.own_weight) if shared else 0.0
    own_containment = _containment(old.own_words, new.own_words)
    strong_old = _missing(old, new, _STRONG)
    strong_new = _missing(new, old, _STRONG)
    weak_old = _missing(old, new, _WEAK)
    weak_new = _missing(new, old, _WEAK)
    strong_conflict = float(bool(strong_old & strong_new))
    weak_conflict = float(bool(weak_old & weak_new))
    kept = _kept(old, new, _STRONG) + _kept(new, old, _STRONG)
    subject_cross = max(
        _containment(old.subject_words, new.body_words),
        _containment(new.subject_words, old.body_words),
    )
    return {
        "own_containment": own_containment,
        "idf_containment": idf_containment,
        "char_cosine": _cosine(old.grams, new.grams),
        "word_containment": _containment(old.words, new.words),
        "subject_overlap": _jaccard(old.subject_words, new.subject_words),
        "subject_cross": subject_cross,
        "reply_subject": float(new.reply) * _containment(old.subject_words, new.subject_words),
        "shared_specific": min(kept, 2) / 2,
        "strong_conflict": strong_conflict,
        "conflict_overlap": strong_conflict * own_containment,
        "weak_conflict": weak_conflict,
        "novelty": len(new.own_words - old.own_words) / max(1, len(new.own_words)),
        "follow_up": float(follow_up),
        "follow_up_overlap": float(follow_up) * idf_containment,
    }


WEIGHTS = {  # fitted by `bench/duplicates.py --fit` on all labelled pairs
    "reply_subject": 0.971,
    "own_containment": 3.567,
    "idf_containment": 2.055,
    "char_cosine": 1.02,
    "word_containment": -5.918,
    "subject_overlap": -6.708,
    "subject_cross": 4.946,
    "shared_specific": 0.714,
    "strong_conflict": -1.253,
    "conflict_overlap": -0.816,
    "weak_conflict": -1.16,
    "novelty": -1.165,
    "follow_up": 4.921,
    "follow_up_overlap": 1.662,
}
BIAS = -0.115
THRESHOLD = 0.6


def rule(old: Fingerprint, new: Fingerprint) -> float | None:
    """The decisions made before the weights: 0 or 1, or None to leave it to them."""
    _, new_issue, solved = _cues(old, new)
    if new_issue or solved:
        return 0.0
    if verbatim(old, new):
        return 1.0
    if not old.trigrams or not new.trigrams:
        return 0.0  # two words or fewer: too little to call anything but a word-for-word repeat
    return None


def duplicate_score(old: Fingerprint, new: Fingerprint) -> float:
    """Probability-like score that `new` repeats `old`; a new issue is never a duplicate."""
    decided = rule(old, new)
    if decided is not None:
        return decided
    features = pair_features(old, new)
    z = BIAS + sum(WEIGHTS[name] * value for name, value in features.items())
    return 1.0 / (1.0 + math.exp(-z))


def is_duplicate(old: Fingerprint, new: Fingerprint) -> bool:
    return duplicate_score(old, new) >= THRESHOLD
