"""Score predicted review comments against the reviewer's real ones."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from trainer.metrics.embedding import DEFAULT_BATCH_SIZE, DEFAULT_SEED


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pairs",
        type=Path,
        required=True,
        help='JSONL file, one {"pred": str, "gold": str} per line, optionally with '
        "gold_commented, pred_commented (bool), gold_line, pred_line (int|null)",
    )
    parser.add_argument(
        "--system",
        help='score only the lines whose "system" field is this name (all lines are still checked)',
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help="seed of the gold shuffle behind embed_sim_floor (default: %(default)s)",
    )
    parser.add_argument(
        "--batch-size",
        type=_positive_int,
        default=DEFAULT_BATCH_SIZE,
        help="texts per embedding batch (default: %(default)s)",
    )


def run(args: argparse.Namespace) -> int:
    """Print a table, then the summary as one JSON object on the last line.

    Exit 2 when the pairs file is missing or malformed.
    """
    from trainer.metrics.pairs import PairsFileError, read_pairs
    from trainer.metrics.score_pairs import format_table, score_pairs

    started = time.monotonic()
    try:
        pairs = read_pairs(args.pairs, system=args.system)
    except PairsFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    summary = score_pairs(pairs, batch_size=args.batch_size, seed=args.seed)
    print(format_table(summary))
    print(f"scored in {time.monotonic() - started:.1f} s", file=sys.stderr)
    print(json.dumps(summary))
    return 0
