"""Backport verdict model: ``fit`` learns it from labelled feature rows, ``predict`` applies it."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from trainer.backports.fit import MODEL_FORMAT, LinearPart, fit_model, score
from trainer.backports.rows import read_rows


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    fit = actions.add_parser("fit", help="learn the model from labelled rows")
    fit.add_argument("--rows", type=Path, required=True, help="labelled feature rows (JSON lines)")
    fit.add_argument("--out", type=Path, required=True, help="where to write the model (JSON)")
    fit.add_argument("--feature-version", required=True, help="the Node side's FEATURE_VERSION")
    fit.add_argument("--dimension", type=int, default=1 << 20, help="hashed feature slots")
    predict = actions.add_parser("predict", help="apply a model to rows (JSON lines to stdout)")
    predict.add_argument("--model", type=Path, required=True)
    predict.add_argument("--rows", type=Path, required=True)


def _part(data: dict) -> LinearPart | None:
    if "constant" in data:
        return None
    weights = {int(slot): float(weight) for slot, weight in data["weights"].items()}
    return LinearPart(intercept=float(data["intercept"]), weights=weights, threshold=float(data["threshold"]))


def _predict(model_path: Path, rows_path: Path) -> None:
    model = json.loads(model_path.read_text(encoding="utf-8"))
    if model.get("format") != MODEL_FORMAT:
        raise ValueError(f"--model {model_path} is not a {MODEL_FORMAT} model; fit one with `fit`")
    backport = _part(model["backport"])
    wait = _part(model["wait"])
    assert backport is not None
    rows = read_rows(rows_path, need_labels=False)
    for row_id, slots in zip(rows.ids, rows.slots, strict=True):
        p_wait = score(wait, slots) if wait else float(model["wait"]["constant"])
        print(json.dumps({"id": row_id, "p_backport": score(backport, slots), "p_wait": p_wait}))


def run(args: argparse.Namespace) -> int:
    try:
        if args.action == "fit":
            rows = read_rows(args.rows, need_labels=True)
            model = fit_model(rows, feature_version=args.feature_version, dimension=args.dimension)
            temporary = args.out.with_name(f".{args.out.name}.tmp")
            temporary.write_text(json.dumps(model), encoding="utf-8")
            temporary.replace(args.out)
            summary = {key: model[key] for key in ("trained_on", "selection")}
            print(json.dumps({"event": "fitted", **summary}))
        else:
            _predict(args.model, args.rows)
    except ValueError as error:
        print(f"backports {args.action}: {error}", file=sys.stderr)
        return 2
    return 0
