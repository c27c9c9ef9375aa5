"""Turns TorchTune's HF-checkpointer output into the PEFT adapter directory vLLM loads.

TorchTune writes ``<run_dir>/epoch_<N>/adapter_model.safetensors`` and an
``adapter_config.json`` lacking ``task_type`` and, unless the base dir holds a
``.repo_id.json`` from ``tune download``, ``base_model_name_or_path``. We copy
the last epoch's weights, write a complete config, and publish both with a
single rename so a reader (vLLM's filesystem resolver) never sees half an
adapter.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

ADAPTER_WEIGHTS = "adapter_model.safetensors"
ADAPTER_CONFIG = "adapter_config.json"
PROVENANCE_FILE = "tech-lead-bot-provenance.txt"


def peft_config(tune_config: dict[str, Any], *, base_model_name: str, lora_dropout: float) -> dict[str, Any]:
    """The adapter_config.json contents: TorchTune's fields completed for PEFT and vLLM."""
    for key in ("r", "lora_alpha", "target_modules"):
        if key not in tune_config:
            raise RuntimeError(f"TorchTune's adapter config lacks {key!r}: {tune_config}")
    return {
        "peft_type": "LORA",
        "task_type": "CAUSAL_LM",
        "base_model_name_or_path": base_model_name,
        "r": tune_config["r"],
        "lora_alpha": _whole_number_as_int(tune_config["lora_alpha"]),
        "lora_dropout": lora_dropout,
        "target_modules": list(tune_config["target_modules"]),
        "bias": "none",
        "fan_in_fan_out": False,
        "inference_mode": True,
        "modules_to_save": None,
        "use_dora": False,
        "use_rslora": False,
    }


def _whole_number_as_int(value: float) -> float | int:
    """PEFT types lora_alpha as int; keep 32 rather than 32.0 when it is whole."""
    return int(value) if float(value).is_integer() else value


def publish_adapter(
    run_dir: Path,
    epoch: int,
    output_dir: Path,
    *,
    base_model_name: str,
    lora_dropout: float,
    provenance: str | None = None,
) -> None:
    """Build the adapter in a temp dir inside run_dir, then rename it to output_dir.

    run_dir must be on the same filesystem as output_dir (the train command
    makes it beside output_dir). Never replaces an existing adapter: rename
    onto a non-empty directory fails.
    """
    epoch_dir = run_dir / f"epoch_{epoch}"
    weights = epoch_dir / ADAPTER_WEIGHTS
    config_path = epoch_dir / ADAPTER_CONFIG
    if not weights.is_file() or not config_path.is_file():
        raise RuntimeError(f"TorchTune wrote no PEFT adapter in {epoch_dir}; see its log on stderr.")
    staging = run_dir / "publish"
    staging.mkdir()
    shutil.copyfile(weights, staging / ADAPTER_WEIGHTS)
    config = peft_config(
        json.loads(config_path.read_text(encoding="utf-8")),
        base_model_name=base_model_name,
        lora_dropout=lora_dropout,
    )
    (staging / ADAPTER_CONFIG).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    names = [ADAPTER_WEIGHTS, ADAPTER_CONFIG]
    if provenance is not None:
        # Who asked for these weights, inside the same atomic rename (vLLM and PEFT ignore it).
        (staging / PROVENANCE_FILE).write_text(provenance + "\n", encoding="utf-8")
        names.append(PROVENANCE_FILE)
    for name in names:
        _fsync(staging / name)
    _fsync(staging)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    # Atomic on POSIX; replaces only an empty directory, fails on a non-empty one.
    os.rename(staging, output_dir)
    _fsync(output_dir.parent)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
