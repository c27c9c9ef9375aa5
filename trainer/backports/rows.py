"""Feature rows as the Node side writes them: one JSON object per line.

``{"id": "<sha>", "t": <ms since epoch>, "x": {"<slot>": value, ...}, "y": 0|1, "wait": 0|1|null}``
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse


@dataclass
class Rows:
    ids: list[str]
    times: np.ndarray
    slots: list[dict[int, float]]
    labels: np.ndarray | None
    waits: list[int | None]


def read_rows(path: Path, *, need_labels: bool) -> Rows:
    """Reads a rows file; raises ValueError naming the file and line of a bad row."""
    if not path.is_file():
        raise ValueError(f"--rows {path}: no such file; the Node side writes it")
    ids: list[str] = []
    times: list[float] = []
    slots: list[dict[int, float]] = []
    labels: list[int] = []
    waits: list[int | None] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                ids.append(str(row["id"]))
                times.append(float(row.get("t", 0)))
                slots.append({int(key): float(value) for key, value in row["x"].items()})
                if need_labels:
                    label = int(row["y"])
                    if label not in (0, 1):
                        raise ValueError(f"y must be 0 or 1, got {label}")
                    labels.append(label)
                    wait = row.get("wait")
                    waits.append(None if wait is None else int(wait))
                else:
                    waits.append(None)
            except (KeyError, TypeError, ValueError) as error:
                raise ValueError(f"{path}:{number} is not a feature row ({error})") from error
    return Rows(
        ids=ids,
        times=np.asarray(times, dtype=np.float64),
        slots=slots,
        labels=np.asarray(labels, dtype=np.int64) if need_labels else None,
        waits=waits,
    )


def to_matrix(slots: list[dict[int, float]], columns: dict[int, int]) -> sparse.csr_matrix:
    """The rows as a CSR matrix over ``columns`` (slot -> column); unknown slots are dropped."""
    data: list[float] = []
    indices: list[int] = []
    indptr = [0]
    for row in slots:
        for slot, value in row.items():
            column = columns.get(slot)
            if column is not None:
                indices.append(column)
                data.append(value)
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.asarray(data), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
        shape=(len(slots), len(columns)),
    )
