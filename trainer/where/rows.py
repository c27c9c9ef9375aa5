"""Reading the feature rows src/where/build-where-rows.ts writes."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class WhereRow:
    """One hunk: its pull request, when that was opened, its label and its sparse features."""

    spec: str
    pull: int
    time: str
    hunk: str
    commented_pull: bool
    label: int
    features: dict[str, float]


def _fail(path: Path, line_number: int, what: str) -> ValueError:
    return ValueError(
        f"{path}:{line_number}: {what}. Write the rows with the bot's buildWhereRows "
        "(src/where/build-where-rows.ts): one JSON object per line with spec, pull, time, hunk, "
        "commentedPull, label (0 or 1) and features (name -> finite number)."
    )


def read_rows(path: Path) -> list[WhereRow]:
    """Every row of a JSON Lines file, validated.

    Raises ValueError naming the file and line when a row is malformed, when rows mix feature
    specs, or when the file is missing or empty.
    """
    if not path.is_file():
        raise ValueError(f"{path}: no such file; pass the rows the bot wrote with --features")
    rows: list[WhereRow] = []
    with path.open(encoding="utf-8") as stream:
        for line_number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as error:
                raise _fail(path, line_number, f"not JSON ({error.msg})") from error
            rows.append(_parse_row(raw, path, line_number))
    if not rows:
        raise ValueError(f"{path}: no rows; the reviewer has no hunks to learn from")
    specs = {row.spec for row in rows}
    if len(specs) > 1:
        raise ValueError(f"{path}: rows mix feature specs {sorted(specs)}; recompute them with one bot version")
    return rows


def _parse_row(raw: object, path: Path, line_number: int) -> WhereRow:
    if not isinstance(raw, dict):
        raise _fail(path, line_number, "not a JSON object")
    features = raw.get("features")
    label = raw.get("label")
    checks = [
        (isinstance(raw.get("spec"), str), "spec must be a string"),
        (isinstance(raw.get("pull"), int), "pull must be a whole number"),
        (isinstance(raw.get("time"), str), "time must be an ISO date string"),
        (isinstance(raw.get("hunk"), str), "hunk must be a string"),
        (isinstance(raw.get("commentedPull"), bool), "commentedPull must be true or false"),
        (label in (0, 1) and not isinstance(label, bool), "label must be 0 or 1"),
        (isinstance(features, dict), "features must be an object"),
    ]
    for ok, what in checks:
        if not ok:
            raise _fail(path, line_number, what)
    assert isinstance(features, dict)
    clean: dict[str, float] = {}
    for name, value in features.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise _fail(path, line_number, f"feature {name!r} is not a finite number")
        clean[name] = float(value)
    return WhereRow(
        spec=raw["spec"],
        pull=raw["pull"],
        time=raw["time"],
        hunk=raw["hunk"],
        commented_pull=raw["commentedPull"],
        label=int(label),  # type: ignore[arg-type]
        features=clean,
    )
