"""Embed texts with all-MiniLM-L6-v2 (the scorer's model): one unit vector per input line.

Reads JSON lines ``{"text": str}`` from ``--texts`` and writes one JSON array of floats
per line to stdout, in the same order. ``npm run bench:retrieval`` uses it to rank the
reviewer's precedents by embedding similarity beside BM25.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--texts", type=Path, required=True, help='JSONL file, one {"text": str} per line')
    parser.add_argument("--batch-size", type=int, default=64, help="texts per batch (default: %(default)s)")


def read_texts(path: Path) -> list[str]:
    """The texts of ``path``; ``ValueError`` naming the line when one is not ``{"text": str}``."""
    texts = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        record = json.loads(line)
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise ValueError(f'line {number} of {path}: expected {{"text": "..."}}')
        texts.append(record["text"])
    return texts


def run(args: argparse.Namespace) -> int:
    from trainer.metrics.embedding import encode, load_embedder

    try:
        texts = read_texts(args.texts)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    vectors = encode(texts, model=load_embedder(), batch_size=args.batch_size) if texts else []
    for vector in vectors:
        sys.stdout.write(json.dumps([round(float(value), 6) for value in vector]) + "\n")
    return 0
