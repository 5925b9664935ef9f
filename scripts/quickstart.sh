#!/usr/bin/env bash
# The main job: a real `pulumi up` of examples/quickstart on the local Docker engine with a local
# file state backend (the real engine, driven through the Automation API), ending with the VM's
# console URL and proof that it serves its page. `scripts/quickstart.sh down` destroys it.
#
# Where the host can run Windows (usable KVM, Microsoft's download answers, room for it) the VM
# is a real Windows 11 installed unattended and `up` ends at its desktop; elsewhere the quickstart
# says why and boots windock's stand-in guest. WINDOCK_QUICKSTART=standin|windows forces a route.
set -euo pipefail
. "$(dirname "$0")/setup.sh"
. "$WINDOCK_ROOT/scripts/pulumi-env.sh"
cd "$WINDOCK_ROOT"
run() { node dist/examples/runner/run-example.js quickstart "$@"; }

if [ "${1:-up}" = down ]; then
  run destroy dev
  exit 0
fi

route=$(node dist/examples/runner/quickstart-route.js)
export WINDOCK_EXAMPLE_CONFIG="standinGuestDir=$WINDOCK_GUEST_DIR
route=$route"
if [ "$route" = windows ]; then
  # The administrator's password: generated once, kept 0600 beside the state, encrypted in the stack config.
  password_file="$HOME/.windock/quickstart-admin-password"
  if [ ! -s "$password_file" ]; then
    mkdir -p "$(dirname "$password_file")"
    (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$password_file")
  fi
  WINDOCK_EXAMPLE_SECRET_CONFIG="adminPassword=$(cat "$password_file")"
  export WINDOCK_EXAMPLE_SECRET_CONFIG
  # Plain `pulumi up` display: the download's percent and Setup's progress lines show while it runs.
  export WINDOCK_UP_DISPLAY=progress
fi
run up dev

url=$(run output dev consoleUrl | tail -1)
jar=$(mktemp)
if curl -fsSL -k -c "$jar" -b "$jar" "$url" | grep -q 'windock console'; then
  echo "[quickstart] the console serves its page"
else
  echo "[quickstart] the console did not serve its page at $url"; rm -f "$jar"; exit 1
fi
rm -f "$jar"
echo
echo "Console: $url"
echo "RDP:     $(run output dev rdpEndpoint | tail -1)"
if [ "$route" = windows ]; then
  echo "Windows: at its desktop; user windock, password in $password_file"
fi
echo "State:   $PULUMI_BACKEND_URL"
echo "Tear down with: npm run quickstart:down"
