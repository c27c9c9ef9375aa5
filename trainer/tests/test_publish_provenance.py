"""A published adapter says which job asked for it, so a retry can tell its own folder from a stale one."""

from __future__ import annotations

import json
from pathlib import Path

from trainer.peft_adapter import ADAPTER_CONFIG, ADAPTER_WEIGHTS, PROVENANCE_FILE, publish_adapter

TORCHTUNE_ADAPTER_CONFIG = {
    "r": 8,
    "lora_alpha": 16,
    "target_modules": ["q_proj", "v_proj"],
    "peft_type": "LORA",
}


def _tuned_run(tmp_path: Path) -> Path:
    epoch_dir = tmp_path / "tune" / "epoch_0"
    epoch_dir.mkdir(parents=True)
    (epoch_dir / ADAPTER_WEIGHTS).write_bytes(b"weights")
    (epoch_dir / ADAPTER_CONFIG).write_text(json.dumps(TORCHTUNE_ADAPTER_CONFIG), encoding="utf-8")
    return tmp_path / "tune"


def test_the_published_folder_names_the_job_that_asked_for_it(tmp_path: Path) -> None:
    output = tmp_path / "adapters" / "o-r-alice-v1"
    publish_adapter(
        _tuned_run(tmp_path), 0, output, base_model_name="base", lora_dropout=0.0, provenance="train/7@1700"
    )
    assert (output / PROVENANCE_FILE).read_text(encoding="utf-8") == "train/7@1700\n"
    assert json.loads((output / ADAPTER_CONFIG).read_text(encoding="utf-8"))["base_model_name_or_path"] == "base"


def test_without_provenance_the_folder_holds_only_the_peft_adapter(tmp_path: Path) -> None:
    output = tmp_path / "adapters" / "o-r-alice-v1"
    publish_adapter(_tuned_run(tmp_path), 0, output, base_model_name="base", lora_dropout=0.0)
    assert sorted(p.name for p in output.iterdir()) == [ADAPTER_CONFIG, ADAPTER_WEIGHTS]
