"""Checks on the train command's inputs, done before anything heavy is imported.

Each check raises :class:`InputError` (a ``ValueError``) whose message says
what is wrong and how to fix it; the train command turns it into an
``{"event":"error"}`` line and exit code 2.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.profiles import Profile

ROLES = ("system", "user", "assistant")
ADAPTER_FILES = ("adapter_config.json", "adapter_model.safetensors")
HF_CONFIG_KEYS = ("hidden_size", "num_attention_heads", "num_key_value_heads")


class InputError(ValueError):
    """Bad input from the caller; exit code 2."""


@dataclass(frozen=True)
class BaseModel:
    directory: Path
    checkpoint_files: list[str]  # safetensors shards, relative to directory
    tokenizer_path: Path
    config: dict[str, Any]  # its config.json


def count_examples(dataset: Path) -> int:
    """Validate a JSONL dataset of chat examples and return how many it holds.

    Each line: ``{"messages": [{"role": ..., "content": ...}, ...]}`` with
    roles system/user/assistant, non-empty string contents, at least one user
    message, and an assistant message last (it is what the model learns).
    """
    if not dataset.is_file():
        raise InputError(f"--dataset {dataset}: no such file. Pass the JSONL file the Node worker exported.")
    count = 0
    with dataset.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                raise InputError(
                    f"--dataset {dataset} line {number} is blank; remove blank lines (one JSON object per line)."
                )
            where = f"--dataset {dataset} line {number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise InputError(f"{where} is not valid JSON ({err.msg}); write one JSON object per line.") from None
            _check_messages(record, where)
            count += 1
    if count == 0:
        raise InputError(f"--dataset {dataset} is empty; it needs at least one example line with a messages list.")
    return count


def _check_messages(record: object, where: str) -> None:
    fix = 'expected {"messages":[{"role":"system"|"user"|"assistant","content":"..."},...]}'
    if not isinstance(record, dict) or not isinstance(record.get("messages"), list):
        raise InputError(f"{where} has no messages list; {fix}.")
    messages = record["messages"]
    if not messages:
        raise InputError(f"{where} has an empty messages list; {fix}.")
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            raise InputError(f"{where} message {index} has no valid role; {fix}.")
        content = message.get("content")
        if not isinstance(content, str) or not content.strip():
            raise InputError(f"{where} message {index} ({message['role']}) has no text content; {fix}.")
    if not any(m["role"] == "user" for m in messages):
        raise InputError(f"{where} has no user message; each example needs the prompt the reviewer answered.")
    if messages[-1]["role"] != "assistant":
        raise InputError(
            f"{where} does not end with an assistant message; the last message must be the reviewer's comment."
        )


def check_base_model(directory: Path, profile: Profile) -> BaseModel:
    """A Hugging Face checkpoint directory of the profile's base model (or the tests' tiny one)."""
    download = f"get it with `{profile.how_to_get}`"
    if not directory.is_dir():
        raise InputError(f"--base-model-dir {directory}: no such directory; {download}.")
    config_path = directory / "config.json"
    if not config_path.is_file():
        raise InputError(
            f"--base-model-dir {directory} has no config.json; it must be a Hugging Face checkpoint dir ({download})."
        )
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise InputError(f"{config_path} is not valid JSON ({err.msg}); re-download the model.") from None
    missing = [key for key in HF_CONFIG_KEYS if key not in config]
    if missing:
        raise InputError(
            f"{config_path} lacks {', '.join(missing)}; it is not a Llama config.json, re-download the model."
        )
    if config.get("vocab_size") != profile.vocab_size:
        raise InputError(
            f"{config_path} has vocab_size {config.get('vocab_size')}, but profile {profile.name} expects "
            f"{profile.vocab_size}: --base-model-dir holds another model; pass the profile's checkpoint "
            f"({download}) or choose the matching --profile."
        )
    shards = _safetensors_shards(directory)
    if not shards:
        raise InputError(
            f"--base-model-dir {directory} has no *.safetensors weights; download them too "
            "(do not pass --exclude/--ignore-patterns '*.safetensors')."
        )
    if config.get("tie_word_embeddings") and "lm_head.weight" not in _tensor_names(directory, shards):
        raise InputError(
            f"--base-model-dir {directory} ties its output head to the embeddings and has no lm_head.weight, "
            f"which TorchTune's Llama builder needs; write the checkpoint with `{profile.how_to_get}`."
        )
    tokenizer = directory / profile.tokenizer_file
    if not tokenizer.is_file():
        raise InputError(
            f"--base-model-dir {directory} has no {profile.tokenizer_file} (the tokenizer profile "
            f"{profile.name} reads); {download}."
        )
    return BaseModel(directory=directory, checkpoint_files=shards, tokenizer_path=tokenizer, config=config)


def _tensor_names(directory: Path, shards: list[str]) -> set[str]:
    """Tensor names from the safetensors headers (8-byte length + JSON), without loading weights."""
    names: set[str] = set()
    for shard in shards:
        with (directory / shard).open("rb") as weights:
            header_length = int.from_bytes(weights.read(8), "little")
            try:
                header = json.loads(weights.read(header_length))
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise InputError(f"{directory / shard} is not a safetensors file; re-download the model.") from None
        names.update(key for key in header if key != "__metadata__")
    return names


def _safetensors_shards(directory: Path) -> list[str]:
    index = directory / "model.safetensors.index.json"
    if index.is_file():
        try:
            weight_map = json.loads(index.read_text(encoding="utf-8"))["weight_map"]
        except (json.JSONDecodeError, KeyError):
            raise InputError(f"{index} is not a valid safetensors index; re-download the model.") from None
        shards = sorted(set(weight_map.values()))
        absent = [name for name in shards if not (directory / name).is_file()]
        if absent:
            raise InputError(
                f"--base-model-dir {directory} is missing {', '.join(absent)} listed in {index.name}; "
                "finish the download."
            )
        return shards
    return sorted(path.name for path in directory.glob("*.safetensors"))


def check_output_dir(output_dir: Path, base_model_dir: Path) -> None:
    """Refuse to reuse a directory: adapters are versioned and never replaced in place."""
    if output_dir.exists():
        if not output_dir.is_dir():
            raise InputError(f"--output-dir {output_dir} is a file; pass a new directory path.")
        if any((output_dir / name).exists() for name in ADAPTER_FILES):
            raise InputError(
                f"--output-dir {output_dir} already holds an adapter; adapters are never overwritten. "
                "Train into the next version's directory (<owner>-<repo>-<login>-v<N+1>)."
            )
        if any(output_dir.iterdir()):
            raise InputError(f"--output-dir {output_dir} is not empty; pass a new or empty directory.")
    resolved_out = output_dir.resolve()
    resolved_base = base_model_dir.resolve()
    if resolved_out == resolved_base or resolved_base in resolved_out.parents:
        raise InputError(
            f"--output-dir {output_dir} is inside --base-model-dir; put adapters outside the base model's directory."
        )
