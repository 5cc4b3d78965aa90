"""The quorum rule and the tally of votes (pure)."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Quorum:
    electorate: int
    required: int
    votes: int
    tally: dict[str, int]

    @property
    def reached(self) -> bool:
        return self.electorate > 0 and self.votes >= self.required

    @property
    def leaders(self) -> list[str]:
        """The verdicts with the most votes (more than one on a tie)."""
        if not self.tally:
            return []
        top = max(self.tally.values())
        return sorted(v for v, n in self.tally.items() if n == top)


def quorum_required(*, electorate: int, minimum: int = 0) -> int:
    """Votes needed to close: a majority of the electorate (voting members not recused),
    and never fewer than the board's configured minimum."""
    return max(electorate // 2 + 1, minimum)


def quorum(*, electorate: int, minimum: int, choices: Iterable[str]) -> Quorum:
    """The quorum state from the votes cast by seats of the electorate."""
    tally = Counter(choices)
    return Quorum(
        electorate=electorate,
        required=quorum_required(electorate=electorate, minimum=minimum),
        votes=sum(tally.values()),
        tally=dict(tally),
    )
