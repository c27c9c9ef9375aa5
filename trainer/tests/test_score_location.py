"""Hunk-level comment detection and line distance on a hand-checked table."""

from __future__ import annotations

import pytest

from trainer.metrics.location import HunkLabel, comment_detection, line_accuracy

# gold_commented, pred_commented, gold_line, pred_line      outcome   line
TABLE = [
    HunkLabel(True, True, 10, 12),  #                        TP        hit (2)
    HunkLabel(True, True, 10, 14),  #                        TP        miss (4)
    HunkLabel(True, True, 20, 17),  #                        TP        hit (exactly 3)
    HunkLabel(True, True, 5, None),  #                       TP        miss (no line)
    HunkLabel(True, True, None, 3),  #                       TP        not judged
    HunkLabel(True, False, 8, None),  #                      FN
    HunkLabel(False, True, None, 4),  #                      FP
    HunkLabel(False, True, None, None),  #                   FP
    HunkLabel(False, False),  #                              TN
]


def test_precision_recall_f1_on_the_table() -> None:
    scores = comment_detection(TABLE)
    assert scores.n == 9
    assert scores.precision == pytest.approx(100 * 5 / 7)  # 5 TP / (5 TP + 2 FP)
    assert scores.recall == pytest.approx(100 * 5 / 6)  # 5 TP / (5 TP + 1 FN)
    assert scores.f1 == pytest.approx(100 * 10 / 13)  # 2TP / (2TP + FP + FN)


def test_line_within_3_counts_hunks_both_commented_with_a_gold_line() -> None:
    lines = line_accuracy(TABLE)
    assert lines.n == 4
    assert lines.within == pytest.approx(50.0)


def test_tolerance_is_inclusive_and_configurable() -> None:
    assert line_accuracy(TABLE, tolerance=2).within == pytest.approx(25.0)
    assert line_accuracy(TABLE, tolerance=4).within == pytest.approx(75.0)


def test_a_model_that_never_comments_has_no_precision_and_zero_recall() -> None:
    scores = comment_detection([HunkLabel(True, False), HunkLabel(False, False)])
    assert scores.precision is None
    assert scores.recall == 0.0
    assert scores.f1 == 0.0


def test_nothing_to_find_and_nothing_found_leaves_every_score_undefined() -> None:
    scores = comment_detection([HunkLabel(False, False)])
    assert (scores.precision, scores.recall, scores.f1) == (None, None, None)
    assert line_accuracy([HunkLabel(False, False)]).within is None
