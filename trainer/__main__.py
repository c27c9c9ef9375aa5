"""Command-line entry: ``python -m trainer <command> [options]``.

Each command lives in its own module and is imported only when chosen, so
``score`` does not pay for importing TorchTune and ``train`` does not pay for
the metric libraries — and ``where`` runs where only scikit-learn is installed
(the server/worker image). Without a known command (``--help``, a typo) every
module is imported, for the full list.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# command name -> module exposing add_arguments(parser) and run(args) -> int
COMMANDS: dict[str, str] = {
    "train": "trainer.train_command",
    "score": "trainer.score",
    "prepare-model": "trainer.prepare_model",
    "where": "trainer.where.command",
    "embed": "trainer.retrieval.embed_command",
    "backports": "trainer.backports.command",
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    chosen = argv[0] if argv and argv[0] in COMMANDS else None
    parser = argparse.ArgumentParser(prog="python -m trainer")
    subparsers = parser.add_subparsers(dest="command", required=True)
    modules = {}
    for name, module_name in COMMANDS.items():
        if chosen is not None and name != chosen:
            continue
        module = importlib.import_module(module_name)
        modules[name] = module
        module.add_arguments(subparsers.add_parser(name, help=module.__doc__))
    args = parser.parse_args(argv)
    return modules[args.command].run(args)


if __name__ == "__main__":
    sys.exit(main())
