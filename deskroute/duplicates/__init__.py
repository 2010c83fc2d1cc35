"""Duplicate detection: is a new ticket the same request as an earlier one from the same customer?

Near-duplicates come as resends and forwards (the old text inside the new one), follow-ups
("any update on INV-2026-0350?", "bump. still stuck.") and paraphrases, often on another channel.
Look-alikes that are *not* duplicates come from templates (the same frame around another invoice,
dashboard, user or amount), from customers who raise a second issue ("separate question: ...")
and from customers whose first issue is solved and who now ask something new ("works again,
but ...").

- `lexicon`: stop words, synonyms and cue phrases (data, kept apart from code);
- `words`: the one tokeniser behind every overlap feature;
- `frequency`: document frequencies of words in the example tickets (`word_df.json`), the IDF;
- `specifics`: ids, e-mail addresses, quoted names, amounts, dates and names of a text;
- `fingerprint`: what scoring needs of one ticket, computed once;
- `topic`: whether a follow-up names the open ticket's problem (a cue word alone does not:
  the same sender writing "... fails again" after "issue with billing" is a new problem);
- `model`: rules, pair features, the fitted logistic regression, and near misses (a follow-up
  routed as new with a note naming the open ticket it may continue).

Pure Python; a pair score costs well under a millisecond.
"""

from deskroute.duplicates.fingerprint import Fingerprint, Sentence, fingerprint
from deskroute.duplicates.frequency import WORD_DF, WordFrequencies, idf, load_word_frequencies
from deskroute.duplicates.model import (
    BIAS,
    THRESHOLD,
    WEIGHTS,
    duplicate_score,
    is_duplicate,
    near_miss,
    pair_features,
    rule,
    verbatim,
)
from deskroute.duplicates.words import content_words

__all__ = [
    "BIAS",
    "THRESHOLD",
    "WEIGHTS",
    "WORD_DF",
    "Fingerprint",
    "Sentence",
    "WordFrequencies",
    "content_words",
    "duplicate_score",
    "fingerprint",
    "idf",
    "is_duplicate",
    "load_word_frequencies",
    "near_miss",
    "pair_features",
    "rule",
    "verbatim",
]
