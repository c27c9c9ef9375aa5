"""Fitting the where-model: logistic regression, time-ordered CV, sigmoid calibration, threshold.

Everything is decided on the rows given (the training part): the regularisation strength and
whether pull requests the reviewer never commented in are trained on are chosen by rolling,
time-ordered cross-validation (each fold trains on pull requests opened before its slice);
the calibration and the threshold are fitted on those out-of-fold scores. Held-out data never
reaches this module: the caller passes training rows only.

Each model's decision values are standardised by their mean and spread over the rows it was
trained on before calibration: a fold model trained on half the history and the final model
trained on all of it score on different scales, so a threshold found on the fold models'
scores would otherwise not mean the same on the final model's.

In ``balanced`` mode a pull request is never left without a comment: when no hunk of it reaches
the threshold, the persona speaks on its single most likely hunk (``minPerPull`` 1). The
cross-validation scores only pull requests the reviewer spoke in — the question the model answers
is where a reviewer speaks on a pull request they review — so a review that says nothing is
always wrong there; the threshold is chosen under the same floor, on out-of-fold scores grouped
by pull request. ``quiet`` mode keeps silence (a precision target, no floor).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, precision_recall_curve

from trainer.where.rows import WhereRow

FORMAT = "tech-lead-bot/where-model"
FORMAT_VERSION = 1
# Fixed in advance, never tuned on any one repository.
C_GRID = (0.03, 0.3, 3.0)
POPULATIONS = ("all", "commented")
INNER_FOLDS = 3
FALLBACK_C = 0.3
QUIET_PRECISION = 0.6
MIN_COMMENTED_PULLS = 2 * INNER_FOLDS
MIN_OOF_POSITIVES = 5
# Balanced mode speaks on at least this many hunks (the most likely) of every pull request.
BALANCED_MIN_PER_PULL = 1
TOP_FEATURES = 15


@dataclass
class FittedWhere:
    """The fitted scikit-learn objects; ``predict_proba`` is what the exported JSON reproduces."""

    vectorizer: DictVectorizer | None
    regression: LogisticRegression | None
    calibrator: LogisticRegression | None
    constant: float
    # Mean and spread of the regression's decision values over its own training rows.
    centre: float = 0.0
    spread: float = 1.0

    def decision_function(self, rows: list[WhereRow]) -> np.ndarray:
        if self.vectorizer is None or self.regression is None:
            return np.zeros(len(rows))
        return self.regression.decision_function(self.vectorizer.transform([row.features for row in rows]))

    def standardised(self, rows: list[WhereRow]) -> np.ndarray:
        return (self.decision_function(rows) - self.centre) / self.spread

    def predict_proba(self, rows: list[WhereRow]) -> np.ndarray:
        """P(comment) per row (the positive column of scikit-learn's predict_proba)."""
        if self.regression is None:
            return np.full(len(rows), self.constant)
        scores = self.standardised(rows)
        if self.calibrator is None:
            return self.regression.predict_proba(self.vectorizer.transform([row.features for row in rows]))[:, 1]  # type: ignore[union-attr]
        return self.calibrator.predict_proba(scores.reshape(-1, 1))[:, 1]


def rolling_folds(rows: list[WhereRow], folds: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Time-ordered folds over the commented pull requests.

    The older half of the commented pull requests is only ever trained on; the newer half is cut
    into ``folds`` consecutive slices. Fold k validates on slice k's commented pull requests and
    trains on every row of a pull request opened before the slice's first one. Returns
    (train indices, validation indices) per non-empty fold.
    """
    times: dict[int, str] = {}
    for row in rows:
        times[row.pull] = row.time
    commented = sorted({row.pull for row in rows if row.commented_pull}, key=lambda pull: (times[pull], pull))
    newer = commented[math.ceil(len(commented) / 2) :]
    result = []
    for part in np.array_split(np.array(newer, dtype=np.int64), folds):
        if len(part) == 0:
            continue
        start = times[int(part[0])]
        members = {int(pull) for pull in part}
        train = np.array([index for index, row in enumerate(rows) if row.time < start], dtype=np.int64)
        valid = np.array([index for index, row in enumerate(rows) if row.pull in members], dtype=np.int64)
        result.append((train, valid))
    return result


def _select(rows: list[WhereRow], indices: np.ndarray, population: str) -> list[WhereRow]:
    chosen = [rows[index] for index in indices]
    return chosen if population == "all" else [row for row in chosen if row.commented_pull]


@dataclass
class _Regression:
    vectorizer: DictVectorizer
    regression: LogisticRegression
    centre: float
    spread: float

    def standardised(self, rows: list[WhereRow]) -> np.ndarray:
        values = self.regression.decision_function(self.vectorizer.transform([row.features for row in rows]))
        return (values - self.centre) / self.spread


def _fit_regression(rows: list[WhereRow], c_value: float) -> _Regression | None:
    labels = np.array([row.label for row in rows])
    if len(set(labels.tolist())) < 2:
        return None
    vectorizer = DictVectorizer(sparse=True, sort=True)
    matrix = vectorizer.fit_transform([row.features for row in rows])
    regression = LogisticRegression(C=c_value, max_iter=5000, solver="lbfgs")
    regression.fit(matrix, labels)
    own = regression.decision_function(matrix)
    spread = float(np.std(own))
    return _Regression(vectorizer, regression, float(np.mean(own)), spread if spread > 1e-12 else 1.0)


def _out_of_fold(
    rows: list[WhereRow], folds: list[tuple[np.ndarray, np.ndarray]], c_value: float, population: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Standardised decision values, labels and pull requests of every validation row whose fold
    could be fitted (rows of one pull request stay in hunk order)."""
    scores: list[float] = []
    labels: list[int] = []
    pulls: list[int] = []
    for train, valid in folds:
        fitted = _fit_regression(_select(rows, train, population), c_value)
        if fitted is None:
            continue
        valid_rows = [rows[index] for index in valid]
        scores.extend(fitted.standardised(valid_rows).tolist())
        labels.extend(row.label for row in valid_rows)
        pulls.extend(row.pull for row in valid_rows)
    return np.array(scores), np.array(labels, dtype=np.int64), np.array(pulls, dtype=np.int64)


def top_of_each_pull(probabilities: np.ndarray, pulls: np.ndarray, count: int) -> np.ndarray:
    """True on the ``count`` most likely rows of each pull request (ties: the earlier row, as the
    bot's decideWhere breaks them)."""
    marked = np.zeros(len(probabilities), dtype=bool)
    if count <= 0:
        return marked
    for pull in np.unique(pulls):
        members = np.flatnonzero(pulls == pull)
        order = members[np.lexsort((members, -probabilities[members]))]
        marked[order[:count]] = True
    return marked


def speaks_with_floor(probabilities: np.ndarray, pulls: np.ndarray, threshold: float, min_per_pull: int) -> np.ndarray:
    """The decision rule: rows reaching ``threshold``; a pull request with fewer than
    ``min_per_pull`` of them speaks on its ``min_per_pull`` most likely rows instead."""
    return _Floor(probabilities, pulls, min_per_pull).speaks(threshold)


class _Floor:
    """speaks_with_floor for many thresholds over the same rows (the per-pull ranking once)."""

    def __init__(self, probabilities: np.ndarray, pulls: np.ndarray, min_per_pull: int) -> None:
        self.probabilities = probabilities
        self.min_per_pull = min_per_pull
        _, self.pull_index = np.unique(pulls, return_inverse=True)
        self.top = top_of_each_pull(probabilities, pulls, min_per_pull)

    def speaks(self, threshold: float) -> np.ndarray:
        speaks = self.probabilities >= threshold
        if self.min_per_pull <= 0:
            return speaks
        reaching = np.bincount(self.pull_index, weights=speaks.astype(float))
        return speaks | (self.top & (reaching[self.pull_index] < self.min_per_pull))


def _f1_of(predicted: np.ndarray, labels: np.ndarray) -> float:
    true_positive = int(np.sum(predicted & (labels == 1)))
    spoken = int(np.sum(predicted))
    positives = int(np.sum(labels == 1))
    if true_positive == 0 or spoken == 0 or positives == 0:
        return 0.0
    precision, recall = true_positive / spoken, true_positive / positives
    return 2 * precision * recall / (precision + recall)


def _balanced_threshold(probabilities: np.ndarray, labels: np.ndarray, pulls: np.ndarray) -> tuple[float, float]:
    """The threshold of the highest F1 under the balanced rule (the floor of
    BALANCED_MIN_PER_PULL hunks per pull request included), and that F1; ties: the lowest."""
    floor = _Floor(probabilities, pulls, BALANCED_MIN_PER_PULL)
    best_threshold, best_f1 = float(np.min(probabilities)), -1.0
    for threshold in np.unique(probabilities):
        f1 = _f1_of(floor.speaks(float(threshold)), labels)
        if f1 > best_f1:
            best_threshold, best_f1 = float(threshold), f1
    return best_threshold, best_f1


def choose_threshold(probabilities: np.ndarray, labels: np.ndarray, pulls: np.ndarray, mode: str) -> tuple[float, str]:
    """The threshold of ``mode`` on out-of-fold probabilities, and a sentence saying how.

    balanced: the highest F1 of the balanced rule (threshold, and at least the most likely hunk of
    every pull request). quiet: never louder than balanced — of the thresholds at or above
    balanced's, the one with the most recall whose precision reaches QUIET_PRECISION (no floor),
    else the most precise one.
    """
    balanced_threshold, balanced_f1 = _balanced_threshold(probabilities, labels, pulls)
    if mode == "balanced":
        return (
            balanced_threshold,
            f"the highest F1 in time-ordered cross-validation ({balanced_f1:.3f}), speaking on at least the "
            f"most likely hunk of every pull request",
        )
    precision, recall, thresholds = precision_recall_curve(labels, probabilities)
    # The last point (precision 1, recall 0) has no threshold.
    precision, recall = precision[:-1], recall[:-1]
    louder = thresholds >= balanced_threshold
    reaching = np.flatnonzero(louder & (precision >= QUIET_PRECISION))
    if len(reaching) > 0:
        best = int(reaching[np.argmax(recall[reaching])])
        return (
            float(thresholds[best]),
            f"the most recall with precision ≥ {QUIET_PRECISION} in time-ordered cross-validation "
            f"(precision {precision[best]:.3f}, recall {recall[best]:.3f})",
        )
    candidates = np.flatnonzero(louder)
    best = int(candidates[np.argmax(precision[candidates])])
    return (
        float(thresholds[best]),
        f"no threshold reached precision {QUIET_PRECISION} in time-ordered cross-validation; "
        f"the most precise one available (precision {precision[best]:.3f}, recall {recall[best]:.3f})",
    )


def _figures(
    probabilities: np.ndarray, labels: np.ndarray, pulls: np.ndarray, threshold: float, min_per_pull: int, folds: int
) -> dict[str, Any]:
    predicted = speaks_with_floor(probabilities, pulls, threshold, min_per_pull)
    true_positive = int(np.sum(predicted & (labels == 1)))
    precision = true_positive / int(np.sum(predicted)) if np.any(predicted) else None
    recall = true_positive / int(np.sum(labels == 1)) if np.any(labels == 1) else None
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and precision + recall > 0
        else 0.0
    )
    return {
        "folds": folds,
        "rows": len(labels),
        "positives": int(np.sum(labels == 1)),
        "f1": f1,
        "precision": precision,
        "recall": recall,
        "prauc": float(average_precision_score(labels, probabilities)) if np.any(labels == 1) else None,
    }


def _base_model(rows: list[WhereRow], mode: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "formatVersion": FORMAT_VERSION,
        "featureSpec": rows[0].spec,
        "mode": mode,
        "trainedOn": {
            "rows": len(rows),
            "pulls": len({row.pull for row in rows}),
            "positives": sum(row.label for row in rows),
            "commentedPulls": len({row.pull for row in rows if row.commented_pull}),
        },
    }


def _export_regression(fitted: _Regression) -> dict[str, Any]:
    vectorizer, regression = fitted.vectorizer, fitted.regression
    weights = {
        name: float(weight)
        for name, weight in zip(vectorizer.feature_names_, regression.coef_[0], strict=True)
        if weight != 0.0
    }
    ranked = sorted(weights.items(), key=lambda item: item[1], reverse=True)
    top = ranked[:10] + [item for item in ranked[-5:] if item[1] < 0 and item not in ranked[:10]]
    return {
        "intercept": float(regression.intercept_[0]),
        "weights": weights,
        "topFeatures": [{"name": name, "weight": weight} for name, weight in top[:TOP_FEATURES]],
    }


def fit_where_model(rows: list[WhereRow], mode: str) -> tuple[dict[str, Any], FittedWhere]:
    """Fits the where-model on training rows; returns the JSON model and the fitted objects."""
    if mode not in ("balanced", "quiet"):
        raise ValueError(f"--mode must be balanced or quiet, not {mode!r}")
    model = _base_model(rows, mode)
    labels = np.array([row.label for row in rows])
    rate = float(labels.mean())
    commented_pulls = model["trainedOn"]["commentedPulls"]
    folds = rolling_folds(rows, INNER_FOLDS) if commented_pulls >= MIN_COMMENTED_PULLS else []

    search = []
    for c_value in C_GRID:
        for population in POPULATIONS:
            scores, oof_labels, oof_pulls = _out_of_fold(rows, folds, c_value, population)
            if len(oof_labels) == 0 or oof_labels.sum() < MIN_OOF_POSITIVES or oof_labels.sum() == len(oof_labels):
                continue
            prauc = float(average_precision_score(oof_labels, scores))
            search.append(
                {
                    "C": c_value,
                    "population": population,
                    "prauc": prauc,
                    "scores": scores,
                    "labels": oof_labels,
                    "pulls": oof_pulls,
                }
            )

    if not search:
        missing = []
        if commented_pulls < MIN_COMMENTED_PULLS:
            missing.append(f"{commented_pulls} commented pull requests (needs {MIN_COMMENTED_PULLS})")
        else:
            missing.append(
                f"fewer than {MIN_OOF_POSITIVES} commented hunks (or no silent one) in the newer half of its "
                f"{commented_pulls} commented pull requests, where time-ordered cross-validation scores"
            )
        reason = f"too little history to choose a threshold: {'; '.join(missing)}"
        fitted = _fit_regression(rows, FALLBACK_C)
        fallback = {"kind": "rate-budget", "rate": rate, "reason": reason}
        model["decision"] = fallback
        model["decisions"] = {"balanced": fallback, "quiet": fallback}
        model["cv"] = None
        model["hyperParameters"] = {"C": FALLBACK_C, "population": "all", "innerFolds": 0}
        if fitted is None:
            constant = min(max(rate, 1e-6), 1 - 1e-6)
            model.update(
                intercept=0.0,
                weights={},
                topFeatures=[],
                calibration={"kind": "sigmoid", "slope": 0.0, "offset": math.log(constant / (1 - constant))},
            )
            return model, FittedWhere(None, None, None, constant)
        model.update(_export_regression(fitted))
        model["calibration"] = {"kind": "sigmoid", "slope": 1.0, "offset": 0.0}
        return model, FittedWhere(fitted.vectorizer, fitted.regression, None, rate)

    best = max(search, key=lambda entry: (entry["prauc"], -entry["C"]))
    calibrator = LogisticRegression(C=math.inf, solver="lbfgs", max_iter=1000)
    calibrator.fit(best["scores"].reshape(-1, 1), best["labels"])
    probabilities = calibrator.predict_proba(best["scores"].reshape(-1, 1))[:, 1]
    decisions = {}
    for each in ("balanced", "quiet"):
        threshold, note = choose_threshold(probabilities, best["labels"], best["pulls"], each)
        decisions[each] = {"kind": "threshold", "threshold": threshold, "note": note}
        if each == "balanced":
            decisions[each]["minPerPull"] = BALANCED_MIN_PER_PULL
    fitted = _fit_regression(_select(rows, np.arange(len(rows)), best["population"]), best["C"])
    assert fitted is not None  # the folds held both classes, so the whole training part does
    model.update(_export_regression(fitted))
    # P = sigmoid(a * (z - centre) / spread + b), written as sigmoid(slope * z + offset) for the bot.
    slope = float(calibrator.coef_[0][0])
    offset = float(calibrator.intercept_[0])
    model["calibration"] = {
        "kind": "sigmoid",
        "slope": slope / fitted.spread,
        "offset": offset - slope * fitted.centre / fitted.spread,
    }
    model["decision"] = decisions[mode]
    model["decisions"] = decisions
    model["cv"] = _figures(
        probabilities,
        best["labels"],
        best["pulls"],
        decisions[mode]["threshold"],
        decisions[mode].get("minPerPull", 0),
        len(folds),
    )
    model["hyperParameters"] = {
        "C": best["C"],
        "population": best["population"],
        "innerFolds": len(folds),
        "searched": "; ".join(f"C={entry['C']} {entry['population']}: prauc {entry['prauc']:.3f}" for entry in search),
    }
    return model, FittedWhere(fitted.vectorizer, fitted.regression, calibrator, rate, fitted.centre, fitted.spread)
