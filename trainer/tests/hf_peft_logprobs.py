"""Reference log-probabilities for the real-serving test: transformers (+ PEFT) on the CPU.

Reads one JSON request on stdin, ``{"model_dir", "adapter_dir" (or null), "messages",
"max_tokens", "top_logprobs"}``, renders the messages with the checkpoint's own chat template
(as vLLM does for /v1/chat/completions), decodes greedily in float32 and prints
``{"text", "tokens": [{"token", "logprob", "top_logprobs": [{"token", "logprob"}]}]}``, the
shape of an OpenAI chat completion's ``logprobs.content``.

    python3 -m trainer.tests.hf_peft_logprobs < request.json

Not a pytest module: test/serving/ (vitest) runs it beside the vLLM server.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # peft otherwise tries to fetch the base config

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer


def reference_logprobs(request: dict) -> dict:
    tokenizer = AutoTokenizer.from_pretrained(request["model_dir"])
    model = AutoModelForCausalLM.from_pretrained(request["model_dir"], dtype=torch.float32)
    if request.get("adapter_dir"):
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, request["adapter_dir"])
    model.eval()
    prompt = tokenizer.apply_chat_template(
        request["messages"], add_generation_prompt=True, tokenize=True, return_dict=False
    )
    ids = torch.tensor([list(prompt)])
    stop = {tokenizer.eos_token_id, *([model.generation_config.eos_token_id] if model.generation_config else [])}
    stop.discard(None)
    tokens: list[dict] = []
    generated: list[int] = []
    with torch.no_grad():
        past = None
        step_input = ids
        for _ in range(request["max_tokens"]):
            out = model(input_ids=step_input, past_key_values=past, use_cache=True)
            past = out.past_key_values
            logprobs = torch.log_softmax(out.logits[0, -1].float(), dim=-1)
            top = torch.topk(logprobs, request["top_logprobs"])
            chosen = int(top.indices[0])
            tokens.append(
                {
                    "token": tokenizer.decode([chosen]),
                    "logprob": float(logprobs[chosen]),
                    "top_logprobs": [
                        {"token": tokenizer.decode([int(index)]), "logprob": float(value)}
                        for value, index in zip(top.values, top.indices, strict=True)
                    ],
                }
            )
            if chosen in stop:
                # vLLM stops here too: the stop token is in its log-probs, not in the text.
                break
            generated.append(chosen)
            step_input = torch.tensor([[chosen]])
    return {"text": tokenizer.decode(generated, skip_special_tokens=True), "tokens": tokens}


if __name__ == "__main__":
    json.dump(reference_logprobs(json.load(sys.stdin)), sys.stdout)
