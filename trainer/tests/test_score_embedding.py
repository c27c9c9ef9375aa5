"""Embedding similarity with the real bundled all-MiniLM-L6-v2."""

from __future__ import annotations

import numpy as np
import pytest

from trainer.metrics.embedding import derangement, embedding_similarity
from trainer.metrics.pairs import read_pairs
from trainer.tests.score_helpers import CODEREVIEWER_PREDS_SLICE, embedder


def test_model_matches_published_all_minilm_similarity() -> None:
    # sentence-transformers' documentation example for all-MiniLM-L6-v2.
    scores = embedding_similarity(
        ["A man is eating food."],
        ["A man is eating a piece of bread."],
        model=embedder(),
    )
    assert scores.similarity == pytest.approx(0.7553, abs=1e-3)
    assert scores.floor is None


def test_identical_comments_have_cosine_one() -> None:
    comments = ["Please add a null check here.", "Why not use a dict?"]
    scores = embedding_similarity(comments, comments, model=embedder())
    assert scores.similarity == pytest.approx(1.0, abs=1e-5)
    assert scores.floor < 0.9


def test_paraphrase_scores_above_an_unrelated_comment() -> None:
    gold = "This variable name is confusing, please pick a clearer one."
    paraphrase = embedding_similarity(
        ["Could you rename this to something more descriptive?"],
        [gold],
        model=embedder(),
    )
    unrelated = embedding_similarity(
        ["The build fails on Windows because of the path separator."],
        [gold],
        model=embedder(),
    )
    assert paraphrase.similarity > unrelated.similarity + 0.2


def test_floor_is_below_similarity_on_codereviewer_predictions() -> None:
    pairs = [p for p in read_pairs(CODEREVIEWER_PREDS_SLICE) if p.pred.strip()]
    scores = embedding_similarity([p.pred for p in pairs], [p.gold for p in pairs], model=embedder())
    assert scores.n == len(pairs)
    assert scores.floor < scores.similarity - 0.05


def test_floor_is_reproducible_for_a_seed_and_moves_with_it() -> None:
    predictions = ["nit: typo", "add a test", "why?", "use a constant", "lgtm"]
    golds = ["spelling", "needs a unit test", "what for?", "magic number", "ship it"]
    first = embedding_similarity(predictions, golds, model=embedder(), seed=1)
    again = embedding_similarity(predictions, golds, model=embedder(), seed=1)
    other = embedding_similarity(predictions, golds, model=embedder(), seed=2)
    assert first.floor == again.floor
    assert first.floor != other.floor
    assert first.similarity == other.similarity


@pytest.mark.parametrize("n", [2, 3, 10, 1000])
def test_derangement_never_pairs_an_item_with_itself(n: int) -> None:
    partner = derangement(n, seed=7)
    assert sorted(partner.tolist()) == list(range(n))
    assert not np.any(partner == np.arange(n))
