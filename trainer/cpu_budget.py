"""Caps a CPU run's length: at most ``cpu_budget.max_train_tokens`` tokens read.

A full epoch of one active reviewer's history is ~45 minutes on a 2-core CPU,
too long for a bot that answers a mention. The profile's YAML states a token
budget (and the minutes it stands for); before training, the trainer tokenizes
the dataset with the profile's own tokenizer (after its truncation, so the
count is what the model reads), and lowers ``epochs`` / ``max_steps_per_epoch``
so the run stays inside it. The rest of the history waits for the next
version's run. The budget goes out on every progress line for the status
comment.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class CpuBudget:
    max_train_tokens: int
    minutes: float
    dataset_tokens: int  # one epoch, every example, as the tokenizer cuts it
    planned_tokens: int  # what the capped run reads (estimated from the mean example)
    epochs: int
    max_steps_per_epoch: int | None

    def progress_fields(self) -> dict[str, Any]:
        return {"budget_tokens": self.max_train_tokens, "budget_minutes": self.minutes}


@dataclass(frozen=True)
class ChatMessage:
    """What the tokenizer reads of a TorchTune Message (OpenAI style, train_on_input False)."""

    role: str
    text_content: str

    @property
    def masked(self) -> bool:
        return self.role != "assistant"


def plan_cpu_budget(cfg: Any, dataset: Path, tokenizer: Any) -> CpuBudget | None:
    """The capped schedule, or None when the config has no ``cpu_budget``; updates cfg in place."""
    budget = cfg.get("cpu_budget")
    if not budget:
        return None
    max_tokens = int(budget.max_train_tokens)
    if max_tokens < 1:
        raise ValueError(f"cpu_budget.max_train_tokens must be positive, got {max_tokens}.")
    lengths = []
    with dataset.open(encoding="utf-8") as lines:
        for line in lines:
            messages = [ChatMessage(m["role"], m["content"]) for m in json.loads(line)["messages"]]
            lengths.append(len(tokenizer.tokenize_messages(messages)[0]))
    per_micro_batch = cfg.batch_size * (sum(lengths) / len(lengths))
    per_step = per_micro_batch * cfg.gradient_accumulation_steps
    # TorchTune's dataloader drops the last partial batch; a step is accumulation batches.
    steps_per_epoch = (len(lengths) // cfg.batch_size) // cfg.gradient_accumulation_steps
    if cfg.get("max_steps_per_epoch"):
        steps_per_epoch = min(steps_per_epoch, int(cfg.max_steps_per_epoch))
    affordable = max(1, math.floor(max_tokens / per_step))
    epochs, max_steps = int(cfg.epochs), cfg.get("max_steps_per_epoch")
    if affordable < epochs * steps_per_epoch:
        epochs = max(1, min(epochs, affordable // max(1, steps_per_epoch)))
        max_steps = max(1, affordable // epochs)
        cfg.epochs = epochs
        cfg.max_steps_per_epoch = max_steps
    steps = epochs * min(steps_per_epoch, max_steps or steps_per_epoch)
    return CpuBudget(
        max_train_tokens=max_tokens,
        minutes=float(budget.get("minutes", 0)),
        dataset_tokens=sum(lengths),
        planned_tokens=round(steps * per_step),
        epochs=epochs,
        max_steps_per_epoch=max_steps,
    )
