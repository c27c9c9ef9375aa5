"""Shared fixtures: the real SmolLM2 checkpoint and one short training run on it (see smollm2_run.py)."""

from __future__ import annotations

import pytest

from trainer.tests.smollm2_run import TrainedRun, train_and_publish


@pytest.fixture(scope="session")
def smollm2_trained(tmp_path_factory: pytest.TempPathFactory) -> TrainedRun:
    return train_and_publish(tmp_path_factory.mktemp("smollm2"))
