"""Is a new ticket the same request as an earlier one? Rules first, then fitted weights.

1. Rules. A new-issue cue or a "the old problem is solved" cue in the customer's *new* words
   (sentences not copied from the old ticket) means a different ticket. Verbatim inclusion (most
   word trigrams of the old text inside the new one, every specific of the old text kept) means a
   resend or a forward. Then the topics (see `topic`): a follow-up cue counts only with the old
   ticket's problem named, a nudge repeats, another problem does not. Texts of two words or
   fewer only match word for word.
2. Features of the pair, see `pair_features`: overlap of the customer's own content words
   (synonyms folded, plain and weighted by `frequency.idf`), character n-grams of content
   words, subject-against-text overlap, specifics kept, shared or replaced by others of the
   same kind, follow-up cues, the share of the new topic the old ticket names.
3. A logistic regression over the features; `bench/duplicates.py --fit` fits WEIGHTS, BIAS and
   THRESHOLD on all labelled pairs and reports honest (held-out) figures. The threshold favours
   precision: a false link hides a ticket from routing. A follow-up left unlinked that shares
   some words with an open ticket is a near miss (`near_miss`): routed as new, with a note.
"""

from __future__ import annotations

import math
from collections import Counter

from deskroute.duplicates.fingerprint import Fingerprint, Sentence
from deskroute.duplicates.frequency import idf
from deskroute.duplicates.specifics import STRONG, WEAK
from deskroute.duplicates.topic import shared, topic_rule, topic_shared


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
    return not _missing(old, new, (*STRONG, "name", "month"))


def pair_features(old: Fingerprint, new: Fingerprint) -> dict[str, float]:
    """The inputs of the logistic regression, named as in `WEIGHTS`."""
    follow_up, _, _ = _cues(old, new)
    shared = old.own_words & new.own_words
    weight = sum(idf(w) for w in shared)
    idf_containment = weight / min(old.own_weight, new.own_weight) if shared else 0.0
    own_containment = _containment(old.own_words, new.own_words)
    strong_old = _missing(old, new, STRONG)
    strong_new = _missing(new, old, STRONG)
    weak_old = _missing(old, new, WEAK)
    weak_new = _missing(new, old, WEAK)
    strong_conflict = float(bool(strong_old & strong_new))
    weak_conflict = float(bool(weak_old & weak_new))
    kept = _kept(old, new, STRONG) + _kept(new, old, STRONG)
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
        "topic_shared": topic_shared(old, new),
    }


WEIGHTS = {  # fitted by `bench/duplicates.py --fit` on all labelled pairs
    "reply_subject": 0.808,
    "own_containment": 2.867,
    "idf_containment": 1.844,
    "char_cosine": 0.429,
    "word_containment": -5.438,
    "subject_overlap": -5.647,
    "subject_cross": 4.217,
    "shared_specific": 0.354,
    "strong_conflict": -1.002,
    "conflict_overlap": -1.158,
    "weak_conflict": -1.202,
    "novelty": 1.447,
    "follow_up": 3.966,
    "follow_up_overlap": 1.454,
    "topic_shared": 3.329,
}
BIAS = -2.269
THRESHOLD = 0.62


def _anchored(old: Fingerprint, new: Fingerprint) -> bool:
    """Both name the same id, address, quoted name or amount, or two of the same numbers."""
    return bool(_kept(new, old, STRONG)) or _kept(new, old, ("number",)) >= 2


def rule(old: Fingerprint, new: Fingerprint) -> float | None:
    """The decisions made before the weights: 0 or 1, or None to leave it to them."""
    follow_up, new_issue, solved = _cues(old, new)
    if new_issue or solved:
        return 0.0
    if verbatim(old, new):
        return 1.0
    decided = topic_rule(
        old,
        new,
        follow_up=follow_up,
        anchored=_anchored(old, new),
        conflict=bool(_missing(old, new, STRONG) & _missing(new, old, STRONG)),
    )
    if decided is not None:
        return decided
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
    """`new` repeats `old` at the shipped threshold."""
    return duplicate_score(old, new) >= THRESHOLD


def near_miss(old: Fingerprint, new: Fingerprint) -> bool:
    """`new` is not linked to `old` but may continue it: a follow-up cue and some words or an
    anchor in common. Routed as new, with a note for the reviewer instead of a link."""
    follow_up, new_issue, solved = _cues(old, new)
    if new_issue or solved or not follow_up or is_duplicate(old, new):
        return False
    return bool(shared(old, new)) or _anchored(old, new)
