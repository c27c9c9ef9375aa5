"""CodeReviewer's smoothed sentence BLEU-4, averaged over pairs.

This is the metric behind the published comment-generation figures
(CodeReviewer 5.32, LLaMA-Reviewer ~5.7), so it must match the reference
score for score, quirks included. No maintained library implements this
variant, hence this file. Source of the algorithm:
microsoft/CodeBERT, ``CodeReviewer/code/evaluator/smooth_bleu.py``
(``bleu_fromstr`` with ``rmstop=False``), itself the CodeXGLUE
``smooth_bleu.py``, adapted from the MOSES ``bleu.py`` by hieuhoang1972,
with the smoothing of Lin & Och, "ORANGE", COLING 2004.

Per pair:

1. Tokenize: NLTK's wordpunct tokens (``\\w+|[^\\w\\s]+``) joined by
   spaces, lowercased, every punctuation character split off on its own,
   then NIST mteval-v11a normalization (lowercase, punctuation spacing).
   Stopwords are kept.
2. Clip n-gram matches for n = 1..4 against the single reference.
3. ``log p_n = log(matches_n + s) - log(candidate_ngrams_n + s)`` with
   ``s = 0`` for unigrams and ``s = 1`` for n >= 2 (``sys.float_info.min``
   is added inside each log, as in the reference, so zero unigram matches
   give ~1e-77 rather than a log error).
4. Brevity penalty ``min(0, 1 - (r + 1) / (c + 1))`` in log space, where r
   and c are the reference and candidate token counts.
5. ``exp(mean(log p_n) + penalty)``; the corpus figure is the mean x100.

An empty candidate is scored like any other (the reference does so):
``exp(-r)``, close to zero.
"""

from __future__ import annotations

import math
import re
import sys
import xml.sax.saxutils
from collections import Counter
from collections.abc import Sequence

MAX_ORDER = 4

_WORDPUNCT = re.compile(r"\w+|[^\w\s]+")
_WORD_OR_SINGLE_PUNCT = re.compile(r"\w+|[^\s\w]")

# NIST mteval-v11a normalization, language-independent part. After the
# punctuation split above these can no longer match; kept so that the
# function is the published normalization and not a shortcut of it.
_NIST_JOIN_LINES = (
    (re.compile("<skipped>"), ""),
    (re.compile(r"-\n"), ""),
    (re.compile(r"\n"), " "),
)
# Language-dependent part: space out punctuation ({-~ [-` space-& (-+ :-@ /),
# periods and commas except inside numbers, and a dash after a digit.
_NIST_PUNCTUATION = (
    (re.compile(r"([{-~\[-` -&(-+:-@/])"), r" \1 "),
    (re.compile(r"([^0-9])([.,])"), r"\1 \2 "),
    (re.compile(r"([.,])([^0-9])"), r" \1 \2"),
    (re.compile(r"([0-9])(-)"), r"\1 \2 "),
)


def tokenize(text: str) -> list[str]:
    """Split ``text`` into the tokens the reference BLEU compares."""
    joined = " ".join(_WORDPUNCT.findall(text))
    split = " ".join(_WORD_OR_SINGLE_PUNCT.findall(joined.strip().lower()))
    return _nist_normalize(split)


def _nist_normalize(text: str) -> list[str]:
    for pattern, replacement in _NIST_JOIN_LINES:
        text = pattern.sub(replacement, text)
    text = xml.sax.saxutils.unescape(text, {"&quot;": '"'})
    text = f" {text} ".lower()
    for pattern, replacement in _NIST_PUNCTUATION:
        text = pattern.sub(replacement, text)
    return text.split()


def _ngram_counts(tokens: Sequence[str]) -> Counter[tuple[str, ...]]:
    counts: Counter[tuple[str, ...]] = Counter()
    for order in range(1, MAX_ORDER + 1):
        for start in range(len(tokens) - order + 1):
            counts[tuple(tokens[start : start + order])] += 1
    return counts


def sentence_bleu(prediction: str, gold: str) -> float:
    """Smoothed BLEU-4 of one prediction against one gold comment, in [0, 1]."""
    candidate = tokenize(prediction)
    reference = tokenize(gold)
    reference_counts = _ngram_counts(reference)

    matches = [0] * MAX_ORDER
    for ngram, count in _ngram_counts(candidate).items():
        matches[len(ngram) - 1] += min(count, reference_counts.get(ngram, 0))

    log_precision_sum = 0.0
    for order in range(1, MAX_ORDER + 1):
        candidate_ngrams = max(len(candidate) - order + 1, 0)
        smoothing = 1 if order > 1 else 0
        log_precision_sum += math.log(matches[order - 1] + smoothing + sys.float_info.min) - math.log(
            candidate_ngrams + smoothing + sys.float_info.min
        )

    brevity_penalty = min(0.0, 1 - (len(reference) + 1) / (len(candidate) + 1))
    return math.exp(log_precision_sum / MAX_ORDER + brevity_penalty)


def codereviewer_bleu(predictions: Sequence[str], golds: Sequence[str]) -> float:
    """Mean sentence BLEU x100 over aligned pairs (unrounded).

    Raises ``ValueError`` when the sequences differ in length or are empty.
    """
    if len(predictions) != len(golds):
        raise ValueError(
            f"got {len(predictions)} predictions but {len(golds)} gold comments; pass one gold comment per prediction"
        )
    if not predictions:
        raise ValueError("no pairs to score; pass at least one prediction")
    total = sum(sentence_bleu(p, g) for p, g in zip(predictions, golds, strict=True))
    return total * 100.0 / len(predictions)
