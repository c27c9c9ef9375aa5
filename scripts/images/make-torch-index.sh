#!/usr/bin/env bash
# A package index (PEP 503 folders: simple/<project>/<wheel>) holding the CPU build of the torch
# that trainer/requirements.txt pins, with its dependencies, for trainer/Dockerfile's
# TORCH_INDEX_URL in CI: the CUDA build PyPI has is gigabytes, and download.pytorch.org (where the
# CPU build lives) is out of reach here. This machine's pip finds a CPU wheel on disk (its
# find-links); the rest comes from where pip looks. Kept once complete.
#   bash scripts/images/make-torch-index.sh DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
dir="${1:?usage: make-torch-index.sh DIR}"
[ -f "$dir/.complete" ] && exit 0
torch_pin=$(grep -E '^torch==' trainer/requirements.txt)
rm -rf "$dir" && mkdir -p "$dir/wheels"
python3 -m pip download -q --disable-pip-version-check --only-binary=:all: --python-version 3.11 \
  --dest "$dir/wheels" "$torch_pin" 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; } >&2
if ! ls "$dir"/wheels/torch-*+cpu-*.whl >/dev/null 2>&1; then
  echo "build-images: no CPU build of $torch_pin reachable: pip download gave $(cd "$dir/wheels" && ls torch-*.whl)." >&2
  echo "build-images: put the CPU wheel where pip finds it (pip config list: find-links) or pass --build-arg TORCH_INDEX_URL of an index that has it." >&2
  exit 1
fi
python3 - "$dir" <<'PY'
import os, re, sys
root = sys.argv[1]
for wheel in os.listdir(f"{root}/wheels"):
    project = re.sub(r"[-_.]+", "-", wheel.split("-")[0]).lower()
    os.makedirs(f"{root}/simple/{project}", exist_ok=True)
    os.link(f"{root}/wheels/{wheel}", f"{root}/simple/{project}/{wheel}")
PY
touch "$dir/.complete"
