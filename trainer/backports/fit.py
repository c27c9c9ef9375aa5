"""Fits the backport verdict model: will this dev commit be backported, and soon or after a wait.

The choice of regularisation and of the decision threshold is made on the training rows alone,
in time order (expanding windows: fit on the older part, judge the next), so nothing is tuned on
the commits the model will judge and nothing is set by hand for one repository.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

from trainer.backports.rows import Rows, to_matrix

MODEL_FORMAT = "backports-verdict-model/1"
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
INNER_FOLDS = 5
MIN_CLASS_ROWS = 5


@dataclass
class LinearPart:
    intercept: float
    weights: dict[int, float]
    threshold: float

    def to_json(self) -> dict:
        return {
            "intercept": self.intercept,
            "threshold": self.threshold,
            "weights": {str(slot): weight for slot, weight in sorted(self.weights.items())},
        }


def _columns(rows: Rows, keep: np.ndarray) -> dict[int, int]:
    slots = sorted({slot for index in np.flatnonzero(keep) for slot in rows.slots[index]})
    return {slot: column for column, slot in enumerate(slots)}


def fit_sklearn(
    rows: Rows, keep: np.ndarray, labels: np.ndarray, c: float
) -> tuple[LogisticRegression, dict[int, int]]:
    """The scikit-learn model over the kept rows, and its columns (slot -> column)."""
    columns = _columns(rows, keep)
    matrix = to_matrix([rows.slots[index] for index in np.flatnonzero(keep)], columns)
    model = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=1000, random_state=0)
    model.fit(matrix, labels)
    return model, columns


def _fit_linear(rows: Rows, keep: np.ndarray, labels: np.ndarray, c: float) -> LinearPart:
    model, columns = fit_sklearn(rows, keep, labels, c)
    weights = {slot: float(model.coef_[0][column]) for slot, column in columns.items() if model.coef_[0][column] != 0.0}
    return LinearPart(intercept=float(model.intercept_[0]), weights=weights, threshold=0.5)


def score(part: LinearPart, slots: dict[int, float]) -> float:
    """The probability the linear part gives a row (the same sum the Node side computes)."""
    total = part.intercept + sum(part.weights.get(slot, 0.0) * value for slot, value in slots.items())
    return 1.0 / (1.0 + math.exp(-total)) if total >= 0 else math.exp(total) / (1.0 + math.exp(total))


def best_threshold(probabilities: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """The threshold with the highest F1 over these predictions, and that F1."""
    best = (0.5, 0.0)
    for threshold in np.unique(probabilities):
        predicted = probabilities >= threshold
        true_positive = int(np.sum(predicted & (labels == 1)))
        if true_positive == 0:
            continue
        precision = true_positive / int(np.sum(predicted))
        recall = true_positive / int(np.sum(labels == 1))
        f1 = 2 * precision * recall / (precision + recall)
        if f1 > best[1]:
            best = (float(threshold), f1)
    return best


def _inner_predictions(rows: Rows, labels: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-time predictions: each later fold judged by a model fitted on the folds before it."""
    order = np.argsort(rows.times, kind="stable")
    folds = np.array_split(order, INNER_FOLDS)
    probabilities: list[float] = []
    truth: list[int] = []
    for index in range(1, INNER_FOLDS):
        keep = np.zeros(len(rows.ids), dtype=bool)
        for earlier in folds[:index]:
            keep[earlier] = True
        train_labels = labels[keep]
        if min(int(np.sum(train_labels == 1)), int(np.sum(train_labels == 0))) < MIN_CLASS_ROWS:
            continue
        part = _fit_linear(rows, keep, train_labels, c)
        for row_index in folds[index]:
            probabilities.append(score(part, rows.slots[row_index]))
            truth.append(int(labels[row_index]))
    return np.asarray(probabilities), np.asarray(truth)


def check_enough(labels: np.ndarray, what: str) -> None:
    positives = int(np.sum(labels == 1))
    negatives = int(np.sum(labels == 0))
    if min(positives, negatives) < MIN_CLASS_ROWS:
        raise ValueError(
            f"not enough history to learn {what}: {positives} positive and {negatives} negative rows,"
            f" at least {MIN_CLASS_ROWS} of each are needed; export a longer range or an earlier"
            " stable branch"
        )


def fit_model(rows: Rows, *, feature_version: str, dimension: int) -> dict:
    """Fits both parts and returns the model as JSON-ready data (see MODEL_FORMAT)."""
    assert rows.labels is not None
    labels = rows.labels
    check_enough(labels, "whether a commit is backported")
    selection = []
    for c in C_GRID:
        probabilities, truth = _inner_predictions(rows, labels, c)
        if len(truth) == 0 or int(np.sum(truth == 1)) == 0:
            continue
        threshold, f1 = best_threshold(probabilities, truth)
        selection.append({"c": c, "threshold": threshold, "inner_f1": f1})
    chosen = max(selection, key=lambda entry: entry["inner_f1"]) if selection else None
    c = chosen["c"] if chosen else 1.0
    everything = np.ones(len(rows.ids), dtype=bool)
    backport = _fit_linear(rows, everything, labels, c)
    backport.threshold = chosen["threshold"] if chosen else 0.5

    positives = np.array([label == 1 and wait is not None for label, wait in zip(labels, rows.waits, strict=True)])
    wait_labels = np.array([rows.waits[index] for index in np.flatnonzero(positives)], dtype=np.int64)
    wait_json: dict
    if len(wait_labels) and min(int(np.sum(wait_labels == 1)), int(np.sum(wait_labels == 0))) >= MIN_CLASS_ROWS:
        wait_json = _fit_linear(rows, positives, wait_labels, c).to_json()
    else:
        share = float(np.mean(wait_labels)) if len(wait_labels) else 0.0
        wait_json = {"constant": share, "threshold": 0.5}
    return {
        "format": MODEL_FORMAT,
        "feature_version": feature_version,
        "dimension": dimension,
        "trained_on": {
            "rows": len(rows.ids),
            "backported": int(np.sum(labels == 1)),
            "waited": int(np.sum(wait_labels == 1)) if len(wait_labels) else 0,
            "until_ms": float(np.max(rows.times)) if len(rows.times) else None,
        },
        "selection": {"c": c, "grid": selection},
        "backport": backport.to_json(),
        "wait": wait_json,
    }
