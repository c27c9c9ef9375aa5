"""Where-model commands: python -m trainer where fit --features rows.jsonl --out model.json."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from trainer.events import EventWriter


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="where_command", required=True)
    fit = actions.add_parser("fit", help="fit a where-model on feature rows (training part only)")
    fit.add_argument("--features", type=Path, required=True, help="JSONL rows from src/where/build-where-rows.ts")
    fit.add_argument("--out", type=Path, required=True, help="where to write the JSON model")
    fit.add_argument(
        "--mode",
        choices=("balanced", "quiet"),
        default="balanced",
        help="balanced: threshold of the highest cross-validated F1; quiet: precision ≥ 0.6 (default: %(default)s)",
    )
    fit.add_argument("--predict", type=Path, help="rows to score with the fitted scikit-learn objects")
    fit.add_argument("--predictions", type=Path, help="where to write those probabilities (JSON list)")


def run(args: argparse.Namespace) -> int:
    """Fit, write the model, and print one JSON ``done`` (or ``error``) event on stdout."""
    events = EventWriter(sys.stdout)
    started = time.monotonic()
    # Imported here so other commands never pay for scikit-learn.
    from trainer.where.fit import fit_where_model
    from trainer.where.rows import read_rows

    try:
        if (args.predict is None) != (args.predictions is None):
            raise ValueError("--predict and --predictions go together")
        rows = read_rows(args.features)
        model, fitted = fit_where_model(rows, args.mode)
    except ValueError as error:
        events.emit("error", message=str(error))
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, allow_nan=False) + "\n", encoding="utf-8")
    if args.predict is not None:
        probabilities = fitted.predict_proba(read_rows(args.predict))
        args.predictions.write_text(json.dumps([float(value) for value in probabilities]) + "\n", encoding="utf-8")
    events.emit(
        "done",
        model=str(args.out),
        decision=model["decision"]["kind"],
        cv=model["cv"],
        rows=len(rows),
        seconds=round(time.monotonic() - started, 3),
    )
    return 0
