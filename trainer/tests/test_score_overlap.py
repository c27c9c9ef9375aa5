"""chrF and ROUGE-L: identical, disjoint and hand-computed cases."""

from __future__ import annotations

import pytest

from trainer.metrics.chrf import corpus_chrf
from trainer.metrics.rouge import mean_rouge_l


def test_chrf_of_identical_comments_is_100() -> None:
    comments = ["Please add a test for the empty list.", "nit: typo"]
    assert corpus_chrf(comments, comments) == pytest.approx(100.0)


def test_chrf_of_comments_sharing_no_character_is_0() -> None:
    assert corpus_chrf(["abc"], ["xyz"]) == 0.0


def test_chrf_rewards_partial_character_overlap() -> None:
    close = corpus_chrf(["rename this variable"], ["rename the variable"])
    far = corpus_chrf(["add a test"], ["rename the variable"])
    assert 0.0 < far < close < 100.0


def test_rouge_l_of_identical_comments_is_100() -> None:
    assert mean_rouge_l(["Why is this needed?"], ["Why is this needed?"]) == 100.0


def test_rouge_l_of_disjoint_comments_is_0() -> None:
    assert mean_rouge_l(["add a test"], ["rename variable"]) == 0.0


def test_rouge_l_hand_computed() -> None:
    # LCS("a b c d", "a c d e") = "a c d": P = R = 3/4, F = 0.75. Mean with an
    # identical pair: (75 + 100) / 2.
    assert mean_rouge_l(["a b c d", "x"], ["a c d e", "x"]) == pytest.approx(87.5)


def test_empty_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="no pairs"):
        mean_rouge_l([], [])
    with pytest.raises(ValueError, match="no pairs"):
        corpus_chrf([], [])
