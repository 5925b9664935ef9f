#!/usr/bin/env bash
# Builds (or finds cached) the stand-in guest used by tests in place of Windows
# (tests/fixtures/guest/README.md) and prints its folder:
# $WINDOCK_GUEST_DIR, by default ${WINDOCK_CACHE:-/var/cache/windock}/guest, holding
# vmlinuz, initrd.img, disk.qcow2 and manifest.json.
# Idempotent; a no-op (~0.1 s) while the fixture's sources are unchanged.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${WINDOCK_GUEST_DIR:-${WINDOCK_CACHE:-/var/cache/windock}/guest}"
"$root/tests/fixtures/guest/build.sh" "$out" >&2
echo "$out"
