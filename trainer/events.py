"""JSON-lines events on the channel the Node worker reads (src/train/trainer-events.ts).

The Node training worker runs ``python -m trainer train`` as a child process and
reads only this channel, the adapter directory and the exit code
(trainer/README.md, section 2).

Every line is one JSON object with an ``event`` field: ``progress``, ``done``
or ``error``. Nothing else may be written to that channel, so the train
command points file descriptor 1 at stderr while TorchTune runs and gives the
real stdout to an :class:`EventWriter` (see :func:`claim_stdout`).
"""

from __future__ import annotations

import json
import math
import os
import sys
from typing import IO, Any


class EventWriter:
    """Writes one JSON object per line and flushes it at once."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def emit(self, event: str, **fields: Any) -> None:
        record = {"event": event, **{k: _jsonable(v) for k, v in fields.items()}}
        self._stream.write(json.dumps(record, allow_nan=False) + "\n")
        self._stream.flush()


def _jsonable(value: Any) -> Any:
    """Plain JSON numbers for tensors/numpy scalars; NaN/inf become null."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def claim_stdout() -> tuple[EventWriter, int]:
    """Keep the real stdout for events and send everything else on fd 1 to stderr.

    TorchTune, tqdm, datasets and C extensions may print; after this call
    anything written to fd 1 (Python or native) lands on stderr, and only the
    returned writer reaches the original stdout. Returns the writer and the
    saved descriptor for :func:`release_stdout`.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    stream = os.fdopen(os.dup(saved), "w", buffering=1, encoding="utf-8")
    return EventWriter(stream), saved


def release_stdout(saved: int) -> None:
    sys.stdout.flush()
    os.dup2(saved, 1)
    os.close(saved)
