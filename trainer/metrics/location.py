"""Where to comment: hunk-level "would comment" detection and line distance.

Each hunk carries a gold label (did the reviewer comment on it, on which
line) and a predicted one. Detection is the quality-estimation task of the
CodeReviewer paper (published F1 71.5).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_LINE_TOLERANCE = 3


@dataclass(frozen=True)
class HunkLabel:
    """Gold and predicted "comment here?" for one hunk, with optional lines."""

    gold_commented: bool
    pred_commented: bool
    gold_line: int | None = None
    pred_line: int | None = None


@dataclass(frozen=True)
class CommentDetection:
    """Precision, recall and F1 (0-100) of predicting that a hunk gets a comment.

    A score is None when its denominator is zero (no predicted comments for
    precision, no gold comments for recall, neither for F1).
    """

    precision: float | None
    recall: float | None
    f1: float | None
    n: int


@dataclass(frozen=True)
class LineAccuracy:
    """Share (0-100) of hunks commented by both whose lines are within tolerance.

    ``n`` counts hunks where both gold and prediction commented and the gold
    line is known; a prediction that commented without a line is a miss.
    """

    within: float | None
    n: int


def _percent(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else numerator * 100.0 / denominator


def comment_detection(labels: Sequence[HunkLabel]) -> CommentDetection:
    """Score the hunk-level "would comment" decisions."""
    true_positives = sum(1 for h in labels if h.gold_commented and h.pred_commented)
    false_positives = sum(1 for h in labels if h.pred_commented and not h.gold_commented)
    false_negatives = sum(1 for h in labels if h.gold_commented and not h.pred_commented)
    return CommentDetection(
        precision=_percent(true_positives, true_positives + false_positives),
        recall=_percent(true_positives, true_positives + false_negatives),
        f1=_percent(2 * true_positives, 2 * true_positives + false_positives + false_negatives),
        n=len(labels),
    )


def line_accuracy(labels: Sequence[HunkLabel], tolerance: int = DEFAULT_LINE_TOLERANCE) -> LineAccuracy:
    """How often the predicted line is within ``tolerance`` of the gold line."""
    if tolerance < 0:
        raise ValueError(f"tolerance must be >= 0 lines, got {tolerance}")
    judged = [h for h in labels if h.gold_commented and h.pred_commented and h.gold_line is not None]
    hits = sum(1 for h in judged if h.pred_line is not None and abs(h.pred_line - h.gold_line) <= tolerance)
    return LineAccuracy(within=_percent(hits, len(judged)), n=len(judged))
