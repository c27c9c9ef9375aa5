"""TorchTune metric logger that turns per-step metrics into JSON-lines progress.

Configured as ``metric_logger._component_: trainer.progress_logger.JsonLinesProgressLogger``.
The recipe calls :meth:`log_dict` once per optimizer step with ``loss`` and
``tokens_per_second_per_gpu``; this logger adds the total step count (known
only after the recipe has built its dataloader, so the train command passes it
in through :meth:`start`), an ETA from the mean step time so far and, given the
steps of one whole pass over the dataset, the epochs reached (``epochs``: 0.5 is
half the examples seen once) and planned (``planned_epochs``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import IO, Any

from trainer.events import EventWriter


class JsonLinesProgressLogger:
    """Prints ``{"event":"progress",...}`` lines; implements TorchTune's MetricLoggerInterface."""

    def __init__(
        self,
        fd: int = 1,
        writer: EventWriter | None = None,
        clock: Callable[[], float] = time.monotonic,
        **_ignored: Any,
    ) -> None:
        # `fd` is how a YAML config reaches us (an int survives OmegaConf);
        # `writer` is for tests and in-process callers.
        self._owned: IO[str] | None = None
        if writer is None:
            self._owned = os.fdopen(os.dup(fd), "w", buffering=1, encoding="utf-8")
            writer = EventWriter(self._owned)
        self._writer = writer
        self._clock = clock
        self._total_steps: int | None = None
        self._started_at: float | None = None
        self._fields: dict[str, Any] = {}
        self._steps_per_epoch: int | None = None

    def start(self, total_steps: int, steps_per_epoch: int | None = None, **fields: Any) -> None:
        """Call once the recipe knows its step count, right before training starts.

        ``steps_per_epoch``: optimizer steps of one whole pass over the dataset (not lowered by a
        step cap), for the epochs on each line. ``fields`` go out on every progress line as they
        are (the CPU budget, for the status comment).
        """
        if total_steps < 0:
            raise ValueError(f"total_steps must be >= 0, got {total_steps}")
        if steps_per_epoch is not None and steps_per_epoch < 1:
            raise ValueError(f"steps_per_epoch must be >= 1, got {steps_per_epoch}")
        self._total_steps = total_steps
        self._steps_per_epoch = steps_per_epoch
        self._fields = fields
        self._started_at = self._clock()

    def log(self, name: str, data: Any, step: int) -> None:
        self.log_dict({name: data}, step)

    def log_dict(self, payload: Mapping[str, Any], step: int) -> None:
        if self._started_at is None:
            self._started_at = self._clock()
        elapsed = self._clock() - self._started_at
        total = self._total_steps
        eta: float | None = None
        if total is not None and step > 0:
            eta = max(0.0, elapsed / step * (total - step))
        epochs: dict[str, float] = {}
        if self._steps_per_epoch is not None:
            epochs["epochs"] = round(step / self._steps_per_epoch, 3)
            if total is not None:
                epochs["planned_epochs"] = round(total / self._steps_per_epoch, 3)
        self._writer.emit(
            "progress",
            step=step,
            total_steps=total,
            loss=payload.get("loss"),
            tokens_per_second=payload.get("tokens_per_second_per_gpu"),
            eta_seconds=None if eta is None else round(eta, 1),
            **epochs,
            **self._fields,
        )

    def log_config(self, config: Any) -> None:
        """TorchTune logs the resolved config here; it goes to stderr via TorchTune's own log."""

    def close(self) -> None:
        if self._owned is not None:
            self._owned.close()
            self._owned = None
