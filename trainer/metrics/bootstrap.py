"""Bootstrap 95% intervals over pairs, and the shuffled-gold floors of chrF and BLEU.

A figure over 10-20 pairs means little without its spread: each interval resamples the
pairs with replacement (seeded, 1,000 times) and recomputes the metric the same way as
the point figure (a mean of per-pair values for the embedding cosine and BLEU, corpus
statistics summed for chrF), then takes the 2.5th and 97.5th percentiles.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

RESAMPLES = 1000
LEVEL = 0.95


def percentile_interval(
    statistic: Callable[[np.ndarray], float],
    n: int,
    *,
    seed: int,
    resamples: int = RESAMPLES,
) -> tuple[float, float] | None:
    """``statistic(indices)`` over ``resamples`` draws of ``n`` indices; None below 2 pairs."""
    import numpy as np

    if n < 2:
        return None
    rng = np.random.default_rng(seed)
    values = np.array([statistic(rng.integers(0, n, size=n)) for _ in range(resamples)])
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def mean_interval(values: Sequence[float], *, seed: int) -> tuple[float, float] | None:
    """Interval of the mean of per-pair values (embedding cosines, sentence BLEU)."""
    import numpy as np

    array = np.asarray(values, dtype=float)
    return percentile_interval(lambda rows: float(array[rows].mean()), len(array), seed=seed)


def chrf_interval(predictions: Sequence[str], golds: Sequence[str], *, seed: int) -> tuple[float, float] | None:
    """Interval of corpus chrF: per-pair character n-gram statistics, summed per resample."""
    import numpy as np
    from sacrebleu.metrics import CHRF

    chrf = CHRF()
    # sacrebleu's own per-sentence statistics and scoring (what corpus_score sums and scores).
    stats = np.array(chrf._extract_corpus_statistics(list(predictions), [list(golds)]))
    return percentile_interval(
        lambda rows: float(chrf._compute_score_from_stats(list(stats[rows].sum(axis=0))).score),
        len(stats),
        seed=seed,
    )
