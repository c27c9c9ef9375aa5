"""The done line tells the bot how the profile rendered the system turn (src/prompts/keep-system-turn.ts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from omegaconf import OmegaConf

from trainer.chatml_tokenizer import SYSTEM_TURNS
from trainer.train_command import system_turn_of

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


@pytest.mark.parametrize(
    ("config", "expected"),
    [("smollm2_135M_lora.yaml", "first_paragraph"), ("llama3_8B_lora.yaml", "full")],
)
def test_each_profile_reports_its_system_turn(config: str, expected: str) -> None:
    mode = system_turn_of(OmegaConf.load(CONFIGS / config))
    assert mode == expected
    # The bot's systemTurnSchema accepts exactly these (src/prompts/keep-system-turn.ts).
    assert mode in SYSTEM_TURNS
