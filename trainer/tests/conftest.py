"""Shared fixtures: the real SmolLM2 checkpoint and one short training run on it (see smollm2_run.py)."""

from __future__ import annotations

import os

import pytest

# Before anything imports huggingface_hub (it reads this once): PEFT otherwise tries to fetch
# the base model's config from the hub, and no test may reach the network.
os.environ["HF_HUB_OFFLINE"] = "1"

from trainer.tests.smollm2_run import TrainedRun, train_and_publish


@pytest.fixture(scope="session")
def smollm2_trained(tmp_path_factory: pytest.TempPathFactory) -> TrainedRun:
    return train_and_publish(tmp_path_factory.mktemp("smollm2"))
