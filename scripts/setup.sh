#!/usr/bin/env bash
# The one set-up step behind both README commands. Idempotent: every step checks what is
# already there and caches what it builds under $WINDOCK_CACHE (default /var/cache/windock).
# Source it (`. scripts/setup.sh`) to get Node 22 and the Pulumi CLI on PATH afterwards.
set -uo pipefail

WINDOCK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export WINDOCK_ROOT
export WINDOCK_CACHE=${WINDOCK_CACHE:-/var/cache/windock}
export PULUMI_VERSION=3.259.0
export NODE_MAJOR=22
export WINDOCK_IMAGE=${WINDOCK_IMAGE:-windock/vm:dev}
export WINDOCK_BASE_IMAGE=windock-base:bookworm
export WINDOCK_NODE_IMAGE=windock-node:${NODE_MAJOR}
export WINDOCK_GUEST_DIR=$WINDOCK_CACHE/guest
mkdir -p "$WINDOCK_CACHE"

# step NAME HINT COMMAND...: runs one step, prints its duration, and on failure which step
# failed and how to fix it (the log of the step is shown in full).
step() {
  local name=$1 hint=$2; shift 2
  local start=$SECONDS log="$WINDOCK_CACHE/setup-$name.log"
  printf '[setup] %-14s ...' "$name"
  if ( "$@" ) >"$log" 2>&1; then
    printf ' ok (%ss)\n' "$((SECONDS - start))"
  else
    printf ' FAILED (%ss)\n' "$((SECONDS - start))"
    sed 's/^/    | /' "$log" | tail -40
    echo "[setup] step '$name' failed. Fix: $hint"
    echo "[setup] full log: $log"
    return 1
  fi
}

need_root() { [ "$(id -u)" = 0 ] || { echo "run as root (apt, dockerd and debootstrap need it)"; return 1; }; }

setup_node() {
  local have
  have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$have" -ge "$NODE_MAJOR" ]; then echo "node $(node --version) on PATH"; return 0; fi
  local dir=$WINDOCK_CACHE/node$NODE_MAJOR
  if [ ! -x "$dir/node_modules/node/bin/node" ]; then
    mkdir -p "$dir" && (cd "$dir" && npm install --no-audit --no-fund --no-save "node@$NODE_MAJOR")
  fi
  "$dir/node_modules/node/bin/node" --version
}

APT_PACKAGES=(docker.io qemu-system-x86 qemu-utils ovmf swtpm swtpm-tools debootstrap openssh-server
  busybox-static e2fsprogs cpio socat iproute2 iptables chromium qemu-guest-agent openssl xz-utils zstd
  wimtools 7zip genisoimage)
setup_apt() {
  need_root || return 1
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && { echo "all installed"; return 0; }
  echo "installing: ${missing[*]}"
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

setup_docker() {
  if docker info >/dev/null 2>&1; then echo "engine answers"; return 0; fi
  need_root || return 1
  echo "starting dockerd"
  (setsid dockerd >/var/log/windock-dockerd.log 2>&1 &)
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && { echo "engine up"; return 0; }; sleep 1; done
  tail -20 /var/log/windock-dockerd.log; return 1
}

setup_npm() {
  cd "$WINDOCK_ROOT" || return 1
  local stamp=node_modules/.windock-lock-hash hash
  hash=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
    echo "node_modules up to date"
  else
    # npm install, not npm ci: npm 11 wrongly reports platform-optional packages as missing.
    npm install --no-audit --no-fund && echo "$hash" > "$stamp" || return 1
  fi
  # The examples and the dynamic provider host resolve `windock` as an installed package would be.
  ln -sfn .. node_modules/windock
}

setup_build() { cd "$WINDOCK_ROOT" && npm run -s build; }

# The apt mirror is read from this machine's sources, never written into the repo.
apt_mirror() {
  local uri
  uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 | awk '{print $2}')
  [ -n "$uri" ] || uri=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | head -1 | awk '{print $2}')
  echo "$uri"
}

setup_base_images() {
  if ! docker image inspect "$WINDOCK_BASE_IMAGE" >/dev/null 2>&1; then
    if timeout 120 docker pull debian:bookworm-slim >/dev/null 2>&1; then
      docker tag debian:bookworm-slim "$WINDOCK_BASE_IMAGE"
    else
      need_root || return 1
      local mirror dir
      mirror=$(apt_mirror); [ -n "$mirror" ] || { echo "no apt mirror found in /etc/apt/sources*"; return 1; }
      dir=$(mktemp -d)
      debootstrap --variant=minbase bookworm "$dir" "$mirror" || return 1
      rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
      tar -C "$dir" -c . | docker import - "$WINDOCK_BASE_IMAGE" || return 1
      rm -rf "$dir"
    fi
  fi
  if ! docker image inspect "$WINDOCK_NODE_IMAGE" >/dev/null 2>&1; then
    local ctx
    ctx=$(mktemp -d)
    cp "$(command -v node)" "$ctx/node"
    printf 'FROM %s\nCOPY node /usr/local/bin/node\n' "$WINDOCK_BASE_IMAGE" > "$ctx/Dockerfile"
    docker build -q -t "$WINDOCK_NODE_IMAGE" "$ctx" || return 1
    rm -rf "$ctx"
  fi
  docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "^(windock-base|windock-node)"
}

setup_image() {
  cd "$WINDOCK_ROOT/image" || return 1
  local hash
  hash=$( (cat Dockerfile; find dist -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16)
  if [ "$(docker image inspect -f '{{index .Config.Labels "io.windock.context-hash"}}' "$WINDOCK_IMAGE" 2>/dev/null)" = "$hash" ]; then
    echo "$WINDOCK_IMAGE is current ($hash)"; return 0
  fi
  docker build --network host --label "io.windock.context-hash=$hash" \
    --build-arg "BASE_IMAGE=$WINDOCK_BASE_IMAGE" --build-arg "NODE_IMAGE=$WINDOCK_NODE_IMAGE" \
    -t "$WINDOCK_IMAGE" . && docker image ls "$WINDOCK_IMAGE"
}

setup_guest() { bash "$WINDOCK_ROOT/scripts/setup/guest.sh"; }

setup_pulumi() {
  bash "$WINDOCK_ROOT/scripts/setup/pulumi-cli.sh" || return 1
  # The dynamic-provider plugin is a small script shipped in the @pulumi/pulumi package.
  local dir=$WINDOCK_CACHE/pulumi/v$PULUMI_VERSION
  cp "$WINDOCK_ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" "$dir/" && chmod +x "$dir/pulumi-resource-pulumi-nodejs"
  "$dir/pulumi" version
}

windock_setup() {
  local start=$SECONDS
  step node "check that the npm registry is reachable (npm view node@$NODE_MAJOR)" setup_node || return 1
  if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -lt "$NODE_MAJOR" ]; then
    export PATH=$WINDOCK_CACHE/node$NODE_MAJOR/node_modules/node/bin:$PATH
  fi
  step apt "run as root with Debian's apt sources reachable (apt-get update)" setup_apt || return 1
  step docker "see /var/log/windock-dockerd.log; on cgroup or storage errors start dockerd by hand" setup_docker || return 1
  step npm "check that the npm registry is reachable; delete node_modules and retry" setup_npm || return 1
  step build "fix the TypeScript errors shown (npm run typecheck)" setup_build || return 1
  step base-images "debootstrap needs the apt mirror from /etc/apt/sources*; remove a partial image with docker rmi" setup_base_images || return 1
  step image "docker build of image/ failed: the apt mirror must be reachable from --network host" setup_image || return 1
  step guest "the stand-in guest is built from Debian packages: apt-get update, then retry" setup_guest || return 1
  step pulumi "the Go module proxy must be reachable; see shared/notes/pulumi.md" setup_pulumi || return 1
  export PATH=$WINDOCK_CACHE/pulumi/v$PULUMI_VERSION:$PATH
  export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  echo "[setup] done in $((SECONDS - start))s"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  windock_setup
else
  windock_setup || return 1
fi
