"""Profiles, the ChatML tokenizer and the CPU budget: fast checks against the real SmolLM2 tokenizer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from trainer.chatml_tokenizer import ChatMLTokenizer
from trainer.cpu_budget import ChatMessage, plan_cpu_budget
from trainer.profiles import get_profile, resolve_profile
from trainer.tests.smollm2_run import prepared_smollm2
from trainer.train_config import cpu_native_dtype, model_dim
from trainer.train_inputs import InputError, check_base_model

SYSTEM = (
    "You predict how alice reviews pull requests in the repository acme/widgets.\n\n"
    "Answer with exactly one line and nothing else."
)
COMMENT = "R7: nit: call it subtotal, it is not the total yet."


def chat(hunk_lines: int) -> list[dict[str, str]]:
    hunk = "\n".join(
        ["@@ -1,3 +1,40 @@", *(f"R{i}  + subtotal_{i} = price * quantity_{i}" for i in range(1, hunk_lines))]
    )
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": f"File: src/cart.py\n\n{hunk}"},
        {"role": "assistant", "content": COMMENT},
    ]


def as_messages(rows: list[dict[str, str]]) -> list[ChatMessage]:
    return [ChatMessage(row["role"], row["content"]) for row in rows]


@pytest.fixture(scope="module")
def base_dir() -> Path:
    return prepared_smollm2()


@pytest.fixture(scope="module")
def tokenizer(base_dir: Path) -> ChatMLTokenizer:
    return ChatMLTokenizer(str(base_dir / "tokenizer.json"), max_seq_len=None)


def test_renders_exactly_what_the_checkpoints_chat_template_renders(base_dir: Path, tokenizer) -> None:
    from transformers import AutoTokenizer

    rows = chat(5)
    expected = AutoTokenizer.from_pretrained(base_dir).apply_chat_template(rows, tokenize=True)
    expected = expected["input_ids"] if hasattr(expected, "keys") else expected
    tokens, _ = tokenizer.tokenize_messages(as_messages(rows))
    assert tokens == list(expected)


def test_learns_only_the_comment_and_its_end_token(tokenizer) -> None:
    tokens, mask = tokenizer.tokenize_messages(as_messages(chat(5)))
    learned = [token for token, masked in zip(tokens, mask, strict=True) if not masked]
    assert tokenizer.decode(learned) == COMMENT + "<|im_end|>"


def test_a_long_hunk_loses_its_top_lines_never_the_comment(base_dir: Path) -> None:
    short = ChatMLTokenizer(str(base_dir / "tokenizer.json"), max_seq_len=200)
    rows = chat(60)
    rows[-1] = {"role": "assistant", "content": "R58: nit: call it subtotal, it is not the total yet."}
    tokens, mask = short.tokenize_messages(as_messages(rows))
    assert 150 < len(tokens) <= 200
    text = short.decode(tokens)
    assert text.endswith(rows[-1]["content"] + "<|im_end|>\n")
    assert "File: src/cart.py\n\n" in text  # the header stays
    assert "R58  + subtotal_58" in text and "R59  + subtotal_59" in text  # the bottom of the hunk stays
    assert "@@ -1,3" not in text and "R1  + subtotal_1 " not in text  # its top went
    learned = [token for token, masked in zip(tokens, mask, strict=True) if not masked]
    assert short.decode(learned) == rows[-1]["content"] + "<|im_end|>"


def test_a_long_hunk_keeps_a_window_around_the_commented_line(base_dir: Path) -> None:
    short = ChatMLTokenizer(str(base_dir / "tokenizer.json"), max_seq_len=200)
    rows = chat(60)  # the comment is on R7, near the top
    rows[1]["content"] += "\n\nWhat alice said before on the most similar code they reviewed, closest first:\n- a.py: x"
    tokens, _ = short.tokenize_messages(as_messages(rows))
    assert 150 < len(tokens) <= 200
    text = short.decode(tokens)
    assert "R7  + subtotal_7 " in text  # the commented line stays ...
    assert "R1  + subtotal_1 " not in text and "R6  + subtotal_6 " not in text  # ... the lines above it go first
    assert "R59  + subtotal_59" not in text  # ... then the hunk's bottom
    assert "said before on the most similar code" in text and "- a.py: x<|im_end|>" in text  # precedents stay
    assert text.endswith(COMMENT + "<|im_end|>\n")
    # No anchor (the reviewer let the hunk pass): the top goes, as when the line is not in the hunk.
    rows[-1] = {"role": "assistant", "content": "NO_COMMENT"}
    text = short.decode(short.tokenize_messages(as_messages(rows))[0])
    assert "R59  + subtotal_59" in text and "R7  + subtotal_7 " not in text


def test_first_paragraph_keeps_the_persona_only(base_dir: Path) -> None:
    trimmed = ChatMLTokenizer(str(base_dir / "tokenizer.json"), system_turn="first_paragraph")
    text = trimmed.decode(trimmed.tokenize_messages(as_messages(chat(3)))[0])
    assert "You predict how alice reviews" in text and "Answer with exactly one line" not in text


def test_rejects_a_tokenizer_without_chatml_tokens(tmp_path: Path) -> None:
    from tokenizers import Tokenizer, models

    path = tmp_path / "tokenizer.json"
    Tokenizer(models.WordLevel({"a": 0, "[UNK]": 1}, unk_token="[UNK]")).save(str(path))
    with pytest.raises(ValueError, match="not a ChatML model's tokenizer"):
        ChatMLTokenizer(str(path))


def test_auto_picks_by_hardware_and_the_8b_needs_a_gpu() -> None:
    assert resolve_profile("auto", has_gpu=True).name == "llama3-8b"
    assert resolve_profile("auto", has_gpu=False).name == "smollm2-135m"
    with pytest.raises(ValueError, match=r"needs a CUDA GPU.*--profile smollm2-135m"):
        resolve_profile("llama3-8b", has_gpu=False)


def test_dims_come_from_config_json_old_and_new_rope_keys(base_dir: Path) -> None:
    config = json.loads((base_dir / "config.json").read_text())
    assert model_dim(config, "rope_base") == 100000.0  # transformers 5: rope_parameters
    old_style = {k: v for k, v in config.items() if k != "rope_parameters"} | {"rope_theta": 500000.0}
    assert model_dim(old_style, "rope_base") == 500000.0
    assert [model_dim(config, k) for k in ("num_layers", "num_heads", "num_kv_heads", "embed_dim")] == [30, 9, 3, 576]
    with pytest.raises(InputError, match="RoPE scaling"):
        model_dim({**config, "rope_parameters": {"rope_type": "llama3", "rope_theta": 5e5}}, "rope_base")


def test_the_checkpoint_must_match_the_profile(base_dir: Path) -> None:
    with pytest.raises(InputError, match="vocab_size 49152, but profile llama3-8b expects 128256"):
        check_base_model(base_dir, get_profile("llama3-8b"))
    assert check_base_model(base_dir, get_profile("smollm2-135m")).tokenizer_path.name == "tokenizer.json"


def test_cpu_dtype_follows_the_isa(tmp_path: Path) -> None:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor : 0\nflags : fpu avx2 fma avx512f avx512_bf16\n")
    assert cpu_native_dtype(cpuinfo) == "bf16"
    cpuinfo.write_text("processor : 0\nflags : fpu avx2 fma\n")
    assert cpu_native_dtype(cpuinfo) == "fp32"


def test_the_budget_caps_steps_to_the_token_budget(tmp_path: Path, base_dir: Path) -> None:
    tokenizer = ChatMLTokenizer(str(base_dir / "tokenizer.json"), max_seq_len=1024)
    dataset = tmp_path / "d.jsonl"
    dataset.write_text("".join(json.dumps({"messages": chat(10)}) + "\n" for _ in range(64)))
    length = len(tokenizer.tokenize_messages(as_messages(chat(10)))[0])
    cfg = OmegaConf.create(
        {
            "epochs": 2,
            "batch_size": 1,
            "gradient_accumulation_steps": 4,
            "max_steps_per_epoch": None,
            "cpu_budget": {"max_train_tokens": length * 4 * 5, "minutes": 20},
        }
    )
    budget = plan_cpu_budget(cfg, dataset, tokenizer)
    assert budget is not None
    assert budget.dataset_tokens == 64 * length
    assert (cfg.epochs, cfg.max_steps_per_epoch) == (1, 5)  # 5 steps of 4 examples, not 2 x 16
    assert budget.planned_tokens == 5 * 4 * length <= budget.max_train_tokens
    assert budget.progress_fields() == {"budget_tokens": length * 20, "budget_minutes": 20.0}

    roomy = OmegaConf.create({**OmegaConf.to_container(cfg), "epochs": 2, "max_steps_per_epoch": None})
    roomy.cpu_budget.max_train_tokens = 10**9
    plan_cpu_budget(roomy, dataset, tokenizer)
    assert (roomy.epochs, roomy.max_steps_per_epoch) == (2, None)  # fits: untouched
