"""ROUGE-L through Google's rouge-score package."""

from __future__ import annotations

from collections.abc import Sequence


def mean_rouge_l(predictions: Sequence[str], golds: Sequence[str]) -> float:
    """Mean sentence ROUGE-L F-measure x100 (rouge-score tokenizer, no stemming).

    rouge-score lowercases and keeps only ASCII letters and digits as tokens,
    so code punctuation does not count as overlap.
    """
    if len(predictions) != len(golds):
        raise ValueError(
            f"got {len(predictions)} predictions but {len(golds)} gold comments; pass one gold comment per prediction"
        )
    if not predictions:
        raise ValueError("no pairs to score; pass at least one prediction")
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)
    total = sum(
        scorer.score(target=gold, prediction=prediction)["rougeL"].fmeasure
        for prediction, gold in zip(predictions, golds, strict=True)
    )
    return total * 100.0 / len(predictions)
