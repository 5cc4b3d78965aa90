"""The ranking contract of "most similar" at intake, with no I/O (PRODUCT.md, "Failure
stories shared": duplicates found before they are built).

A candidate's score is a Jaccard similarity in [0, 1] between the text being submitted and
the candidate's text: |shared tokens| / |all tokens of either|. On PostgreSQL the tokens are
pg_trgm's trigrams (``similarity()``: each word lower-cased, padded with two spaces before and
one after, cut into every run of three characters); on SQLite, where there is no pg_trgm,
they are the words themselves (``word_overlap``). Either way the same contract holds:

- a candidate scoring below ``MIN_SCORE`` is not shown;
- the rest are ordered by score, highest first, then by id (oldest first) on a tie;
- at most ``LIMIT`` are shown.
"""

import re
from collections.abc import Iterable

MIN_SCORE = 0.1
LIMIT = 5
# pg_trgm's notion of a word: a run of letters and digits.
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> frozenset[str]:
    """The distinct lower-cased words of a text (runs of letters and digits)."""
    return frozenset(_WORD.findall((text or "").lower()))


def word_overlap(a: str, b: str) -> float:
    """|words(a) & words(b)| / |words(a) | words(b)|; 0 when either has no word."""
    left, right = words(a), words(b)
    union = left | right
    if not left or not right:
        return 0.0
    return len(left & right) / len(union)


def ranked(scored: Iterable[tuple[int, float]]) -> list[tuple[int, float]]:
    """(id, score) pairs kept and ordered by the contract: score >= MIN_SCORE, score
    descending then id ascending, the first LIMIT."""
    kept = [(pk, score) for pk, score in scored if score >= MIN_SCORE]
    return sorted(kept, key=lambda pair: (-pair[1], pair[0]))[:LIMIT]
