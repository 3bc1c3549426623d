"""Agreement figures against values worked out by hand (and Fleiss's own example)."""

from fractions import Fraction

import pytest

from himaya.tools import agreement


def test_fleiss_on_a_small_table_worked_by_hand():
    # 4 raters, 3 factors, categories yes / no / unknown.
    # P_i: 12/12 = 1; (4+4-4)/12 = 1/3; (1+1+4-4)/12 = 1/6 → mean 1/2.
    # p = 7/12, 3/12, 2/12 → P_e = (49+9+4)/144 = 31/72; kappa = (1/2 - 31/72)/(41/72) = 5/41.
    result = agreement.fleiss([[4, 0, 0], [2, 2, 0], [1, 1, 2]])
    assert result.chance == pytest.approx(31 / 72)
    assert result.kappa == pytest.approx(5 / 41)
    assert result.per_item == pytest.approx([41 / 41, -7 / 41, -19 / 41])
    assert result.observed == pytest.approx([1, 1 / 3, 1 / 6])
    # The factor figures average to the vignette's kappa.
    assert sum(result.per_item) / 3 == pytest.approx(result.kappa)


def test_fleiss_reproduces_the_worked_example_of_fleiss_kappa():
    # The classic example: 10 subjects, 14 raters, 5 categories; P-bar 0.378, P_e 0.213,
    # kappa 0.210.
    rows = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    result = agreement.fleiss(rows)
    assert round(result.chance, 3) == 0.213
    assert round(sum(result.observed) / len(rows), 3) == 0.378
    assert round(result.kappa, 3) == 0.210


def test_fleiss_when_everyone_answers_everything_alike_is_undefined_not_a_number():
    result = agreement.fleiss([[5, 0, 0], [5, 0, 0]])
    assert result.kappa is None
    assert result.per_item == [None, None]
    assert result.observed == [1, 1]


def test_fleiss_refuses_rows_with_different_numbers_of_raters():
    with pytest.raises(ValueError):
        agreement.fleiss([[3, 0], [2, 0]])
    with pytest.raises(ValueError):
        agreement.fleiss([[1, 0]])


def test_weighted_level_kappa_worked_by_hand():
    # Linear weights on 4 levels: chance = (4·1 + 6·2/3 + 4·1/3 + 2·0)/16 = 7/12.
    # Six judges: high ×4, severe ×1, elevated ×1 (indices 2, 3, 1).
    # Ordered pairs: 30. Same level: 12 × 1; high–severe and high–elevated: 8 + 8 at 2/3;
    # severe–elevated: 2 at 1/3 → 12 + 32/3 + 2/3 = 70/3 → P_o = 7/9.
    # kappa = (7/9 - 7/12) / (5/12) = 7/15.
    result = agreement.weighted_level_kappa([2, 2, 2, 2, 3, 1], 4)
    assert result.chance == pytest.approx(7 / 12)
    assert result.observed == pytest.approx(7 / 9)
    assert result.kappa == pytest.approx(7 / 15)


def test_weighted_level_kappa_extremes():
    assert agreement.weighted_level_kappa([1] * 6, 4).kappa == pytest.approx(1.0)
    # Three at each end: pairs within a side agree (12 of 30), across sides weight 0.
    # P_o = 12/30 = 2/5 → kappa = (2/5 - 7/12)/(5/12) = -11/25.
    assert agreement.weighted_level_kappa([0, 0, 0, 3, 3, 3], 4).kappa == pytest.approx(
        float(Fraction(-11, 25))
    )
    assert agreement.weighted_level_kappa([2], 4).kappa is None
