"""Batches of examples of about the same length, in a random order: little padding at batch > 1.

TorchTune's dataloader pads every batch to its longest example. With real review chats
(a few hundred to 1,024 tokens) a random batch of 4 is mostly padding on a CPU, where each
padded token costs as much as a real one; one example per batch wastes nothing but runs
small matmuls. This sampler sorts the examples by length and cuts the order into batches,
so a batch's examples differ little in length, then shuffles the batches: every epoch a new
order (seed + epoch), every example in a batch at most once, the same run for the same seed.

Used by the recipe (trainer/recipe_runner.py) when the config says
``length_grouped_batches: True``; the DataLoader groups consecutive indices into batches of
``batch_size`` and drops the last partial one, as it does for TorchTune's own sampler.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence


class LengthGroupedSampler:
    """A ``torch.utils.data.Sampler`` of indices, ``batch_size`` of similar length after another."""

    def __init__(self, lengths: Sequence[int], batch_size: int, seed: int = 0, shuffle: bool = True) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, got {batch_size}")
        self.lengths = list(lengths)
        self.batch_size = batch_size
        self.seed = seed
        self.shuffle = shuffle
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __len__(self) -> int:
        return len(self.lengths)

    def batches(self) -> list[list[int]]:
        """This epoch's batches in order; the examples left over (fewer than a batch) last."""
        rng = random.Random(self.seed * 1_000_003 + self.epoch)
        order = list(range(len(self.lengths)))
        if self.shuffle:
            rng.shuffle(order)
        # Which examples miss this epoch (the remainder of a batch) is random, not the longest.
        keep = len(order) - len(order) % self.batch_size
        kept, left_over = order[:keep], order[keep:]
        # A stable sort of a shuffled order: equal lengths stay in random order.
        kept.sort(key=lambda index: self.lengths[index])
        batches = [kept[start : start + self.batch_size] for start in range(0, keep, self.batch_size)]
        if self.shuffle:
            rng.shuffle(batches)
        return batches + ([left_over] if left_over else [])

    def __iter__(self) -> Iterator[int]:
        return iter([index for batch in self.batches() for index in batch])

    def state_dict(self) -> dict[str, int]:
        return {"epoch": self.epoch}

    def load_state_dict(self, state: dict[str, int]) -> None:
        self.epoch = int(state["epoch"])
