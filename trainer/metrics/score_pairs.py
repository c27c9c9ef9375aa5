"""Every metric over one list of pairs, as a flat JSON-ready summary.

Who is counted where (each population has its own ``n_*`` key):

- ``bleu`` (``n_bleu``): every pair whose gold comment is non-empty. An empty
  prediction stays in and scores ~0, as in CodeReviewer's evaluation, so the
  figure compares with the published ones; dropping silent predictions
  would reward a model for staying quiet on hard hunks.
- ``chrf``, ``rouge_l``, ``embed_sim``, ``embed_sim_floor`` (``n_text``):
  pairs where both prediction and gold are non-empty comments.
- ``*_ci``: bootstrap 95% intervals over the same pairs (``[low, high]``, null
  below two pairs); ``bleu_floor`` and ``chrf_floor``: the metric with each
  prediction paired with another pair's gold (the derangement behind
  ``embed_sim_floor``), so every text figure has its shuffled floor.
- ``comment_*`` (``n_labelled``): pairs carrying hunk labels; the keys are
  absent when no pair does.
- ``line_within_3`` (``n_line``): labelled hunks where both commented and the
  gold line is known.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from trainer.metrics.bleu import codereviewer_bleu, sentence_bleu
from trainer.metrics.bootstrap import chrf_interval, mean_interval
from trainer.metrics.chrf import corpus_chrf
from trainer.metrics.embedding import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_SEED,
    derangement,
    embedding_similarity,
)
from trainer.metrics.location import comment_detection, line_accuracy
from trainer.metrics.pairs import ScoredPair
from trainer.metrics.rouge import mean_rouge_l

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


def _is_comment(text: str) -> bool:
    return bool(text.strip())


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _rounded_interval(interval: tuple[float, float] | None, digits: int) -> list[float] | None:
    return None if interval is None else [round(interval[0], digits), round(interval[1], digits)]


def _shuffled(golds: Sequence[str], seed: int) -> list[str] | None:
    """Each gold moved to another pair (the embedding floor's derangement); None below 2."""
    if len(golds) < 2:
        return None
    return [golds[int(partner)] for partner in derangement(len(golds), seed)]


def score_pairs(
    pairs: Sequence[ScoredPair],
    *,
    embedder: SentenceTransformer | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    seed: int = DEFAULT_SEED,
) -> dict[str, Any]:
    """Score ``pairs``; BLEU/chrF/ROUGE-L and P/R/F1 are 0-100, embeddings are cosines."""
    summary: dict[str, Any] = {"n": len(pairs)}

    bleu_pairs = [p for p in pairs if _is_comment(p.gold)]
    summary["n_bleu"] = len(bleu_pairs)
    summary["bleu"] = (
        round(
            codereviewer_bleu([p.pred for p in bleu_pairs], [p.gold for p in bleu_pairs]),
            2,
        )
        if bleu_pairs
        else None
    )
    bleu_golds = _shuffled([p.gold for p in bleu_pairs], seed)
    summary["bleu_ci"] = _rounded_interval(
        mean_interval([sentence_bleu(p.pred, p.gold) * 100 for p in bleu_pairs], seed=seed), 2
    )
    summary["bleu_floor"] = (
        None if bleu_golds is None else round(codereviewer_bleu([p.pred for p in bleu_pairs], bleu_golds), 2)
    )

    text_pairs = [p for p in bleu_pairs if _is_comment(p.pred)]
    predictions = [p.pred for p in text_pairs]
    golds = [p.gold for p in text_pairs]
    summary["n_text"] = len(text_pairs)
    if text_pairs:
        embedding = embedding_similarity(predictions, golds, model=embedder, batch_size=batch_size, seed=seed)
        summary["chrf"] = round(corpus_chrf(predictions, golds), 2)
        summary["rouge_l"] = round(mean_rouge_l(predictions, golds), 2)
        summary["embed_sim"] = round(embedding.similarity, 4)
        summary["embed_sim_floor"] = _rounded(embedding.floor, 4)
        summary["embed_sim_ci"] = _rounded_interval(mean_interval(embedding.pair_cosines, seed=seed), 4)
        summary["embed_sim_floor_ci"] = _rounded_interval(mean_interval(embedding.floor_cosines, seed=seed), 4)
        summary["chrf_ci"] = _rounded_interval(chrf_interval(predictions, golds, seed=seed), 2)
        shuffled = _shuffled(golds, seed)
        summary["chrf_floor"] = None if shuffled is None else round(corpus_chrf(predictions, shuffled), 2)
    else:
        summary |= {
            "chrf": None,
            "rouge_l": None,
            "embed_sim": None,
            "embed_sim_floor": None,
            "embed_sim_ci": None,
            "embed_sim_floor_ci": None,
            "chrf_ci": None,
            "chrf_floor": None,
        }

    labels = [p.label for p in pairs if p.label is not None]
    if labels:
        detection = comment_detection(labels)
        lines = line_accuracy(labels)
        summary |= {
            "n_labelled": detection.n,
            "comment_precision": _rounded(detection.precision, 2),
            "comment_recall": _rounded(detection.recall, 2),
            "comment_f1": _rounded(detection.f1, 2),
            "n_line": lines.n,
            "line_within_3": _rounded(lines.within, 2),
        }
    return summary


_TABLE_ROWS = (
    (
        "BLEU-4 (CodeReviewer, smoothed)",
        "bleu",
        "n_bleu",
        "gold non-empty; empty pred ~0",
    ),
    ("chrF (sacrebleu, corpus)", "chrf", "n_text", "pred and gold non-empty"),
    ("ROUGE-L F", "rouge_l", "n_text", "pred and gold non-empty"),
    ("embedding cosine", "embed_sim", "n_text", "pred and gold non-empty"),
    (
        "embedding cosine, shuffled gold",
        "embed_sim_floor",
        "n_text",
        "floor: unrelated gold",
    ),
    ("BLEU-4, shuffled gold", "bleu_floor", "n_bleu", "floor: unrelated gold"),
    ("chrF, shuffled gold", "chrf_floor", "n_text", "floor: unrelated gold"),
    ("comment precision", "comment_precision", "n_labelled", "labelled hunks"),
    ("comment recall", "comment_recall", "n_labelled", "labelled hunks"),
    ("comment F1", "comment_f1", "n_labelled", "labelled hunks"),
    ("line within 3", "line_within_3", "n_line", "both commented, gold line known"),
)


def format_table(summary: dict[str, Any]) -> str:
    """A fixed-width table of the summary for people; the JSON is for machines."""
    lines = [f"{'metric':<34}{'value':>9}{'n':>8}  counted over", "-" * 80]
    for title, key, n_key, population in _TABLE_ROWS:
        if key not in summary:
            continue
        value = summary[key]
        shown = "n/a" if value is None else f"{value:.4f}" if "embed" in key else f"{value:.2f}"
        lines.append(f"{title:<34}{shown:>9}{summary[n_key]:>8}  {population}")
    lines.append(f"{summary['n']} pairs read")
    return "\n".join(lines)
