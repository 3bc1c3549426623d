"""How consistently a cohort applied the risk aid to one practice vignette.

Factors: Fleiss' kappa (Fleiss 1971) with the factors as subjects, the participants as raters
and yes / no / unknown as categories. Its chance agreement P_e comes from the answers to all the
factors together, so a factor's own figure, kappa_i = (P_i − P_e) / (1 − P_e) where P_i is the
share of pairs of participants who answered that factor alike, is the factor's agreement beyond
chance; the mean of the kappa_i is the vignette's Fleiss' kappa.

Level: weighted kappa on the four ordered levels, with linear weights (adjacent levels agree
2/3, levels two apart 1/3, the extremes 0). One vignette gives the cohort's levels for a single
case, which cannot estimate chance from the cohort's own distribution, so chance is the
agreement expected if levels were picked at random, each equally likely (Brennan & Prediger
1981): with four levels, P_e = 7/12.

Targets from the literature (Svalin et al. 2017; derived goals): kappa ≥ 0.60 on factors and
≥ 0.70 on the level. Values are None when fewer than two people answered, or when chance
agreement is already total (every answer the same everywhere: agreement is complete but kappa is
undefined)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

FACTOR_TARGET = 0.60
LEVEL_TARGET = 0.70


def _pair_agreement(counts: Sequence[int]) -> Fraction | None:
    n = sum(counts)
    if n < 2:
        return None
    return Fraction(sum(c * c for c in counts) - n, n * (n - 1))


@dataclass
class FactorAgreement:
    per_item: list[float | None]  # kappa_i, in the order of the rows
    observed: list[float | None]  # P_i
    kappa: float | None  # Fleiss' kappa over all rows
    chance: float | None  # P_e


def fleiss(rows: Sequence[Sequence[int]]) -> FactorAgreement:
    """`rows[i][j]`: how many raters put subject i in category j; every row sums to the same
    number of raters n ≥ 2."""
    rows = [list(r) for r in rows]
    if not rows:
        return FactorAgreement([], [], None, None)
    n = sum(rows[0])
    if n < 2 or any(sum(r) != n for r in rows):
        raise ValueError("every subject needs the same number (at least two) of ratings")
    total = n * len(rows)
    p = [Fraction(sum(r[j] for r in rows), total) for j in range(len(rows[0]))]
    p_e = sum(x * x for x in p)
    observed = [_pair_agreement(r) for r in rows]
    if p_e == 1:
        per_item = [None] * len(rows)
        kappa = None
    else:
        per_item = [float((o - p_e) / (1 - p_e)) for o in observed]
        p_bar = sum(observed) / len(rows)
        kappa = float((p_bar - p_e) / (1 - p_e))
    return FactorAgreement(per_item, [float(o) for o in observed], kappa, float(p_e))


def _linear_weight(a: int, b: int, k: int) -> Fraction:
    return 1 - Fraction(abs(a - b), k - 1)


@dataclass
class LevelAgreement:
    kappa: float | None
    observed: float | None  # mean weighted agreement over all pairs of participants
    chance: float


def weighted_level_kappa(levels: Sequence[int], k: int) -> LevelAgreement:
    """`levels`: each participant's level as an index 0..k-1."""
    chance = sum(_linear_weight(a, b, k) for a in range(k) for b in range(k)) / (k * k)
    n = len(levels)
    if n < 2:
        return LevelAgreement(None, None, float(chance))
    counts = Counter(levels)
    agree = Fraction(0)
    for a, ca in counts.items():
        for b, cb in counts.items():
            pairs = ca * (ca - 1) if a == b else ca * cb
            agree += pairs * _linear_weight(a, b, k)
    observed = agree / (n * (n - 1))
    return LevelAgreement(float((observed - chance) / (1 - chance)), float(observed), float(chance))
