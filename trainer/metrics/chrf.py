"""chrF through sacrebleu, the maintained reference implementation."""

from __future__ import annotations

from collections.abc import Sequence


def corpus_chrf(predictions: Sequence[str], golds: Sequence[str]) -> float:
    """Corpus-level chrF (sacrebleu defaults: chrF2, character 6-grams), 0-100.

    Corpus-level, as sacrebleu reports it, so the figure is comparable with
    other papers' sacrebleu chrF; n-gram statistics are summed over pairs
    before the F-score, which weights long comments more than a mean of
    sentence scores would.
    """
    if len(predictions) != len(golds):
        raise ValueError(
            f"got {len(predictions)} predictions but {len(golds)} gold comments; pass one gold comment per prediction"
        )
    if not predictions:
        raise ValueError("no pairs to score; pass at least one prediction")
    from sacrebleu.metrics import CHRF

    return CHRF().corpus_score(list(predictions), [list(golds)]).score
