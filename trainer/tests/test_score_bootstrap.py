"""Bootstrap intervals over pairs: they hold the point figure and shrink with agreement."""

from __future__ import annotations

import pytest

from trainer.metrics.bootstrap import chrf_interval, mean_interval
from trainer.metrics.chrf import corpus_chrf

PREDICTIONS = ["nit: typo in the name", "add a test for this", "why not use fe_mul here?", "this can overflow"]
GOLDS = ["typo: the name is wrong", "please add a test", "use fe_mul instead", "can this overflow?"]


def test_a_mean_interval_holds_the_mean_and_is_seeded() -> None:
    values = [0.1, 0.4, 0.35, 0.8, 0.2]
    low, high = mean_interval(values, seed=7)
    assert low <= sum(values) / len(values) <= high
    assert (low, high) == mean_interval(values, seed=7)
    assert min(values) <= low < high <= max(values)


def test_identical_values_give_a_point_interval_and_one_pair_none() -> None:
    assert mean_interval([0.5, 0.5, 0.5], seed=1) == pytest.approx((0.5, 0.5))
    assert mean_interval([0.5], seed=1) is None


def test_chrf_interval_holds_the_corpus_figure() -> None:
    low, high = chrf_interval(PREDICTIONS, GOLDS, seed=3)
    assert low <= corpus_chrf(PREDICTIONS, GOLDS) <= high
    assert chrf_interval(GOLDS, GOLDS, seed=3) == pytest.approx((100.0, 100.0))
