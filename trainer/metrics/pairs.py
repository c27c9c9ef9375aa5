"""Read and validate a predictions file: one JSON object per line.

Each line is ``{"pred": str, "gold": str}``, optionally with hunk labels
``gold_commented``/``pred_commented`` (bool, both or neither) and
``gold_line``/``pred_line`` (int or null). Other fields (an id, the hunk)
are ignored so a generator can carry its own bookkeeping. Blank lines are
skipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.metrics.location import HunkLabel

_TEXT_FIELDS = ("pred", "gold")
_COMMENTED_FIELDS = ("gold_commented", "pred_commented")
_LINE_FIELDS = ("gold_line", "pred_line")


class PairsFileError(ValueError):
    """The predictions file is missing or a line in it is malformed."""


class InvalidPairError(ValueError):
    """One decoded line is not a valid pair (wrong type or missing field)."""


@dataclass(frozen=True)
class ScoredPair:
    """A predicted comment, the reviewer's real one, and optional hunk labels."""

    pred: str
    gold: str
    label: HunkLabel | None = None


def read_pairs(path: Path) -> list[ScoredPair]:
    """Parse every line of ``path``; raise ``PairsFileError`` naming the bad line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise PairsFileError(
            f'pairs file {path} does not exist; pass a JSONL file of {{"pred": ..., "gold": ...}} lines with --pairs'
        ) from error
    except (OSError, UnicodeDecodeError) as error:
        raise PairsFileError(f"cannot read pairs file {path}: {error}") from error

    pairs = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise PairsFileError(
                f"line {line_number} of {path}: not valid JSON ({error.msg} at column "
                f"{error.colno}); each line must be one JSON object"
            ) from error
        try:
            pairs.append(parse_pair(record))
        except InvalidPairError as error:
            raise PairsFileError(f"line {line_number} of {path}: {error}") from error
    if not pairs:
        raise PairsFileError(f"pairs file {path} has no pairs; it needs one JSON object per line")
    return pairs


def parse_pair(record: Any) -> ScoredPair:
    """Validate one decoded line; raise ``InvalidPairError`` saying which field is wrong."""
    if not isinstance(record, dict):
        raise InvalidPairError(f"expected a JSON object, got {type(record).__name__}")
    for field in _TEXT_FIELDS:
        if not isinstance(record.get(field), str):
            raise InvalidPairError(f'"{field}" must be a string (use "" for no comment)')

    has_labels = [field in record for field in _COMMENTED_FIELDS + _LINE_FIELDS]
    if not any(has_labels):
        return ScoredPair(pred=record["pred"], gold=record["gold"])
    for field in _COMMENTED_FIELDS:
        if not isinstance(record.get(field), bool):
            raise InvalidPairError(
                f'"{field}" must be true or false when any hunk label is given '
                f"({', '.join(_COMMENTED_FIELDS + _LINE_FIELDS)})"
            )
    for field in _LINE_FIELDS:
        value = record.get(field)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise InvalidPairError(f'"{field}" must be an integer line number or null')
    return ScoredPair(
        pred=record["pred"],
        gold=record["gold"],
        label=HunkLabel(
            gold_commented=record["gold_commented"],
            pred_commented=record["pred_commented"],
            gold_line=record.get("gold_line"),
            pred_line=record.get("pred_line"),
        ),
    )
