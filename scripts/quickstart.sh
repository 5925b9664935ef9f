#!/usr/bin/env bash
# The main job: a real `pulumi up` of examples/quickstart on the local Docker engine with a local
# file state backend (the real engine, driven through the Automation API), ending with the VM's
# console URL and proof that it serves its page. `scripts/quickstart.sh down` destroys it.
set -euo pipefail
. "$(dirname "$0")/setup.sh"
. "$WINDOCK_ROOT/scripts/pulumi-env.sh"
cd "$WINDOCK_ROOT"
run() { node dist/examples/runner/run-example.js quickstart "$@"; }

if [ "${1:-up}" = down ]; then
  run destroy dev
  exit 0
fi

if curl -sS -m 5 -o /dev/null https://www.microsoft.com/ 2>/dev/null; then
  echo "[quickstart] Microsoft's servers answer, but this quickstart does not install Windows yet: booting windock's stand-in guest."
else
  echo "[quickstart] Microsoft's download servers cannot be reached from this machine: booting windock's stand-in guest instead of Windows."
fi
export WINDOCK_EXAMPLE_CONFIG="standinGuestDir=$WINDOCK_GUEST_DIR"
run up dev

url=$(run output dev consoleUrl | tail -1)
jar=$(mktemp)
if curl -fsSL -c "$jar" -b "$jar" "$url" | grep -q 'windock console'; then
  echo "[quickstart] the console serves its page"
else
  echo "[quickstart] the console did not serve its page at $url"; rm -f "$jar"; exit 1
fi
rm -f "$jar"
echo
echo "Console: $url"
echo "RDP:     $(run output dev rdpEndpoint | tail -1)"
echo "State:   $PULUMI_BACKEND_URL"
echo "Tear down with: npm run quickstart:down"
