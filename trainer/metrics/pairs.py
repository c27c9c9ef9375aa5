"""Read and validate a predictions file: one JSON object per line.

Each line is ``{"pred": str, "gold": str}``, optionally with hunk labels
``gold_commented``/``pred_commented`` (bool, both or neither) and
``gold_line``/``pred_line`` (int or null), and a ``system`` name (str) when
one file holds several systems' predictions. A label must agree with its
text: a commented side needs a non-empty text, an uncommented one an empty
text. Other fields (an id, the hunk) are ignored so a generator can carry its
own bookkeeping. Blank lines are skipped. See trainer/README.md.
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


def read_pairs(path: Path, system: str | None = None) -> list[ScoredPair]:
    """Parse every line of ``path``; raise ``PairsFileError`` naming the bad line.

    With ``system``, every line is still checked but only that system's lines are returned.
    """
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
            pair = parse_pair(record)
            line_system = record.get("system")
            if line_system is not None and not isinstance(line_system, str):
                raise InvalidPairError('"system" must be a string naming the system')
        except InvalidPairError as error:
            raise PairsFileError(f"line {line_number} of {path}: {error}") from error
        if system is None or line_system == system:
            pairs.append(pair)
    if not pairs:
        if system is not None:
            raise PairsFileError(f'pairs file {path} has no pairs of system "{system}"')
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
    for side in ("gold", "pred"):
        commented = record[f"{side}_commented"]
        has_text = bool(record[side].strip())
        if commented and not has_text:
            raise InvalidPairError(f'"{side}_commented" is true but "{side}" is empty: a comment needs its text')
        if not commented and has_text:
            raise InvalidPairError(f'"{side}_commented" is false but "{side}" has text: use "" for no comment')
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
