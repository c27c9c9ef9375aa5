"""Helpers shared by the ``score`` tests (not a conftest, to keep the
trainer's other test suites free of them)."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CODEREVIEWER_PREDS = "eval/codereviewer-test-preds.jsonl"
# The first 300 of those pairs, vendored with their licence (test/fixtures/codereviewer/README.md).
CODEREVIEWER_PREDS_SLICE = REPO_ROOT / "test" / "fixtures" / "codereviewer" / "test-preds-first-300.jsonl"


def shared_file(relative: str) -> Path:
    """A file under the shared/ folder beside the repository; fail if absent.

    Only tests marked ``data`` (``npm run test:data``) call this: ``npm test``
    runs on a clone with nothing beside it. ``TRAINER_SHARED_DIR`` points
    elsewhere (e.g. from a git worktree, whose parent folder has no shared/).
    """
    shared_dir = Path(os.environ.get("TRAINER_SHARED_DIR", REPO_ROOT.parent / "shared"))
    path = shared_dir / relative
    if not path.is_file():
        pytest.fail(
            f"{path} is missing: the score tests need CodeReviewer's test-set "
            f"predictions at shared/{relative} beside the repository "
            f"({REPO_ROOT.parent / 'shared'}); check out shared/ there or set "
            "TRAINER_SHARED_DIR to the folder that holds it"
        )
    return path


@functools.cache
def embedder():
    """The real bundled all-MiniLM-L6-v2, loaded once per test session."""
    from trainer.metrics.embedding import load_embedder

    return load_embedder(device="cpu")
