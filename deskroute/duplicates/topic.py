"""Does a follow-up name the open ticket's problem? A cue word alone does not make a repeat.

After "issue with billing", "Our Salesforce connector fails again" carries a follow-up cue but
names another problem; the same sender writing twice is not the same problem twice. What a
ticket's problem is called is its *topic* (`Fingerprint.topic`: content words of the customer's
own text without request words, cue phrases, sign-off and e-mail addresses); the other ticket's
`vocabulary` is every word it uses. An *anchor* is an id, address, quoted name or amount, or two
numbers, that both tickets name.

- A follow-up that names nothing the open ticket does not, bar less than one rare word, is a
  nudge ("any update?", "bump. still stuck.", "any news on the billing issue?"): a repeat,
  unless a specific conflicts ("any update on the 200 EUR refund?" after a 240 EUR one).
- A ticket naming a problem of which the open ticket has no word, and no anchor: another ticket.
- A follow-up that shares only common words ("dashboard", "invoice") and no anchor is a weak
  match: not linked, but the reviewer hears of the open ticket (`model.near_miss`).
- A follow-up whose topic is mostly the open ticket's, with no conflicting specific: a repeat.
"""

from __future__ import annotations

from deskroute.duplicates.fingerprint import Fingerprint
from deskroute.duplicates.frequency import idf

NUDGE = 5.0
"""IDF weight of words new to the pair below which a follow-up names no problem of its own:
less than one rare word ("it's urgent", "our auditor asks")."""
DISTINCT = 3.5
"""IDF below which a shared word names an area, not a problem: "dashboard" (1.8), "invoice",
"seat", "api", "connector", "export", "password" (3.2) lie below, "webhook", "heatmap" above."""
MOSTLY = 0.5
"""Share of the new topic's IDF weight that the open ticket must use for a follow-up to be a
repeat on its topic alone."""


def unexplained(old: Fingerprint, new: Fingerprint) -> float:
    """IDF weight of the words naming the new ticket's problem that the old ticket never uses."""
    return sum(idf(w) for w in new.topic - old.vocabulary)


def shared(old: Fingerprint, new: Fingerprint) -> frozenset[str]:
    """Words naming the new ticket's problem that the old ticket uses."""
    return new.topic & old.vocabulary


def topic_shared(old: Fingerprint, new: Fingerprint) -> float:
    """Share of the new topic's IDF weight that the old ticket uses; 1 for a topic-less text."""
    total = sum(idf(w) for w in new.topic)
    return 1.0 - unexplained(old, new) / total if total else 1.0


def _weak(old: Fingerprint, new: Fingerprint) -> bool:
    return max((idf(w) for w in shared(old, new)), default=0.0) < DISTINCT


def topic_rule(
    old: Fingerprint, new: Fingerprint, *, follow_up: bool, anchored: bool, conflict: bool
) -> float | None:
    """1 or 0 where the topics decide, None to leave the pair to the fitted weights.

    `anchored`: the tickets share an anchor; `conflict`: each names a specific of a kind the
    other names differently."""
    other = unexplained(old, new)
    if follow_up and other < NUDGE and (shared(old, new) or not new.topic) and not conflict:
        return 1.0
    if not anchored:
        if new.topic and not shared(old, new):
            return 0.0
        if follow_up and other >= NUDGE and _weak(old, new):
            return 0.0
    if follow_up and topic_shared(old, new) >= MOSTLY and not conflict:
        return 1.0
    return None
