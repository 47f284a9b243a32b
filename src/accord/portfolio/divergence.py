"""The divergence index: how different two markets' duties are for this portfolio.

For a system s and a jurisdiction J, the duty features F(s, J) are the (theme, control) pairs of
the duties s has in J and in every jurisdiction containing J (a system sold in Italy faces the
EU's duties and Italy's; one sold in New York City faces federal, state and city law). Every
control a duty's rule accepts makes one feature; a duty whose rule names no control makes the
feature (theme, none). Two markets ask the same of s when they ask for the same controls under
the same themes, whatever their statutes call them.

For a pair of jurisdictions J, K, over the systems sold in both (a system is sold in J when
its declared markets reach J, or when it has duties in J whatever it declares):

    D(J, K) = sum_s |F(s,J) symmetric-difference F(s,K)|  /  sum_s |F(s,J) union F(s,K)|

This is the Jaccard distance of the two markets' (system, theme, control) sets: the mean of each
system's own Jaccard distance weighted by the size of its union, so a system with twenty duty
features weighs more than one with two, and a system with no duties in either market weighs
nothing. 0: every system present in both faces exactly the same features in both; 1: no
feature in common. A system sold in both markets but bound by only one of them counts fully
towards divergence: that is the difference the portfolio has to manage. D is undefined (None)
when no system sold in both has a duty in either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from itertools import combinations

from pydantic import BaseModel, Field

from accord.portfolio.duties import Duty

Feature = tuple[str, str | None]


class Pair(BaseModel):
    a: str
    b: str
    distance: float | None = Field(description="1 - Jaccard similarity; None if undefined.")
    systems: int = Field(description="Systems sold in both with a duty in either.")
    shared: int = Field(description="(system, theme, control) features both ask for.")
    total: int = Field(description="Features either asks for.")


class Divergence(BaseModel):
    as_of: dt.date
    jurisdictions: list[str]
    matrix: list[list[float | None]] = Field(description="Symmetric; diagonal 0.")
    pairs: list[Pair]


def features(duties: Sequence[Duty]) -> dict[tuple[str, str], set[Feature]]:
    """The features of each (system, jurisdiction)'s own duties (without enclosing levels)."""
    out: dict[tuple[str, str], set[Feature]] = {}
    for d in duties:
        bucket = out.setdefault((d.system_id, d.jurisdiction), set())
        if d.controls:
            bucket.update((d.theme, c) for c in d.controls)
        else:
            bucket.add((d.theme, None))
    return out


def pair_distance(
    feats: Mapping[tuple[str, str], set[Feature]],
    systems: Sequence[str],
    a: str,
    b: str,
) -> Pair:
    """D(a, b) over `systems` (those sold in both)."""
    shared = total = count = 0
    for s in systems:
        fa, fb = feats.get((s, a), set()), feats.get((s, b), set())
        union = len(fa | fb)
        if union:
            count += 1
            shared += len(fa & fb)
            total += union
    return Pair(
        a=a,
        b=b,
        distance=(total - shared) / total if total else None,
        systems=count,
        shared=shared,
        total=total,
    )


def divergence(
    duties: Sequence[Duty],
    markets: Mapping[str, set[str] | None],
    as_of: dt.date,
) -> Divergence:
    """The matrix for these duties; `markets[s]` is the jurisdictions system s is sold in (as
    `duties.jurisdictions_of` gives them), or None when its profile does not say."""
    from accord import vocabulary

    own = features(duties)
    codes = sorted({j for _, j in own}, key=lambda j: (j != "EU", j))
    systems = list(dict.fromkeys([*markets, *(s for s, _ in own)]))
    feats: dict[tuple[str, str], set[Feature]] = {}
    for s in systems:
        for j in codes:
            found = set().union(*(own.get((s, k), set()) for k in vocabulary.ancestors(j)))
            if found:
                feats[(s, j)] = found

    def sold_in(s: str, j: str) -> bool:
        m = markets.get(s)
        return bool(feats.get((s, j))) or (m is not None and j in m)

    pairs = []
    index = {j: i for i, j in enumerate(codes)}
    matrix: list[list[float | None]] = [[0.0] * len(codes) for _ in codes]
    for a, b in combinations(codes, 2):
        both = [s for s in systems if sold_in(s, a) and sold_in(s, b)]
        p = pair_distance(feats, both, a, b)
        pairs.append(p)
        matrix[index[a]][index[b]] = matrix[index[b]][index[a]] = p.distance
    return Divergence(as_of=as_of, jurisdictions=codes, matrix=matrix, pairs=pairs)
