"""CodeReviewer smoothed BLEU: hand-computed cases and the reference figure."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trainer.metrics.bleu import codereviewer_bleu, sentence_bleu, tokenize
from trainer.metrics.pairs import read_pairs
from trainer.metrics.score_pairs import score_pairs
from trainer.tests.score_helpers import CODEREVIEWER_PREDS, shared_file


def test_tokenize_lowercases_and_splits_every_punctuation_character() -> None:
    assert tokenize("Don't call `Foo.bar()`, ok?") == [
        "don", "'", "t", "call", "`", "foo", ".", "bar", "(", ")", "`", ",", "ok", "?",
    ]  # fmt: skip


def test_tokenize_splits_runs_the_nist_rules_alone_would_keep() -> None:
    # wordpunct keeps "-->" and "’’" whole; CodeReviewer then splits each
    # character, which NIST normalization alone would not do for "-" or "’".
    assert tokenize("a --> b ’’") == ["a", "-", "-", ">", "b", "’", "’"]


@pytest.mark.parametrize("text", ["lgtm", "Please rename `x` to `count`."])
def test_identical_comments_score_one(text: str) -> None:
    assert sentence_bleu(text, text) == 1.0


def test_case_and_spacing_do_not_matter() -> None:
    assert sentence_bleu("Fix  the TYPO.", "fix the typo .") == 1.0


def test_disjoint_comments_score_zero() -> None:
    assert sentence_bleu("rename this variable", "add a unit test") < 1e-70


def test_short_prediction_pays_the_reference_brevity_penalty() -> None:
    # pred 3 tokens, gold 5: every pred n-gram matches (smoothed 4-gram 1/1),
    # so only the penalty min(0, 1 - (5 + 1) / (3 + 1)) = -0.5 remains.
    assert sentence_bleu("fix the typo", "please fix the typo here") == pytest.approx(math.exp(-0.5), rel=1e-12)


def test_plus_one_smoothing_applies_from_bigrams_on() -> None:
    # the cat sat on the mat / the cat is on the mat, both 6 tokens (no penalty):
    # unigrams 5/6, bigrams (3+1)/(5+1), trigrams (1+1)/(4+1), 4-grams (0+1)/(3+1).
    expected = (5 / 6 * 4 / 6 * 2 / 5 * 1 / 4) ** 0.25
    got = sentence_bleu("the cat sat on the mat", "the cat is on the mat")
    assert got == pytest.approx(expected, rel=1e-12)
    assert got == pytest.approx(0.48549, abs=1e-5)


def test_longer_prediction_has_no_brevity_penalty() -> None:
    # every gold n-gram is in pred; pred has one extra unigram "now".
    got = sentence_bleu("fix the typo now", "fix the typo")
    expected = (3 / 4 * (2 + 1) / (3 + 1) * (1 + 1) / (2 + 1) * (0 + 1) / (1 + 1)) ** 0.25
    assert got == pytest.approx(expected, rel=1e-12)


def test_corpus_score_is_the_mean_times_100() -> None:
    predictions = ["fix the typo", "lgtm"]
    golds = ["please fix the typo here", "lgtm"]
    assert codereviewer_bleu(predictions, golds) == pytest.approx((math.exp(-0.5) + 1.0) / 2 * 100, rel=1e-12)


def test_mismatched_lengths_are_rejected() -> None:
    with pytest.raises(ValueError, match="1 predictions but 2 gold"):
        codereviewer_bleu(["a"], ["a", "b"])


@pytest.mark.data
def test_codereviewer_test_set_matches_the_reference_figure() -> None:
    pairs = read_pairs(shared_file(CODEREVIEWER_PREDS))
    assert len(pairs) == 10_169
    bleu = codereviewer_bleu([p.pred for p in pairs], [p.gold for p in pairs])
    assert round(bleu, 2) == 5.44


class _ConstantEmbedder:
    """Stands in for the embedding model where only the overlap metrics matter."""

    def encode(self, texts, **_options):
        return np.ones((len(texts), 4)) / 2.0


@pytest.mark.data
def test_score_summary_reports_the_reference_figure_over_all_gold_comments() -> None:
    pairs = read_pairs(shared_file(CODEREVIEWER_PREDS))
    summary = score_pairs(pairs, embedder=_ConstantEmbedder())
    # 14 predictions are empty: they stay in BLEU (as in the reference) but
    # not in the other text metrics.
    assert summary["bleu"] == 5.44
    assert summary["n_bleu"] == 10_169
    assert summary["n_text"] == 10_155
