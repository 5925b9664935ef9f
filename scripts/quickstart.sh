#!/usr/bin/env bash
# The main job: a real `pulumi up` of examples/quickstart on the local Docker engine with a local
# file state backend, ending with the VM's console URL (and proof that it serves a page).
# `scripts/quickstart.sh down` destroys it again.
set -euo pipefail
. "$(dirname "$0")/setup.sh"
. "$WINDOCK_ROOT/scripts/pulumi-env.sh"

cd "$WINDOCK_ROOT/examples/quickstart"
pulumi stack select --create dev --non-interactive >/dev/null

if [ "${1:-up}" = down ]; then
  pulumi destroy --yes --non-interactive --skip-preview
  exit 0
fi

if curl -sS -m 5 -o /dev/null https://software.download.prss.microsoft.com/ 2>/dev/null; then
  echo "[quickstart] Microsoft's servers answer, but this quickstart does not install Windows yet: booting the stand-in guest."
else
  echo "[quickstart] Microsoft's download servers cannot be reached from this machine: booting windock's stand-in guest instead of Windows."
fi
pulumi config set standinGuestDir "$WINDOCK_GUEST_DIR" --non-interactive
pulumi up --yes --non-interactive --diff

url=$(pulumi stack output consoleUrl --show-secrets)
jar=$(mktemp)
if curl -fsSL -c "$jar" -b "$jar" "$url" | grep -q 'windock console'; then
  echo "[quickstart] the console serves its page"
else
  echo "[quickstart] the console did not serve its page at $url"; exit 1
fi
rm -f "$jar"
echo
echo "Console: $url"
echo "RDP:     $(pulumi stack output rdpEndpoint)"
echo "Tear down with: npm run quickstart:down"
