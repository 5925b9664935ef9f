#!/usr/bin/env bash
# Builds the real Pulumi CLI from the Go module proxy,
# cached by version under $WINDOCK_CACHE/pulumi/v$PULUMI_VERSION (shared/notes/pulumi.md).
# An existing `pulumi` of the same version on PATH is used instead.
set -euo pipefail
: "${PULUMI_VERSION:?}" "${WINDOCK_CACHE:?}"
dest="$WINDOCK_CACHE/pulumi/v$PULUMI_VERSION"

if [ -x "$dest/pulumi" ]; then echo "cached: $dest"; exit 0; fi
if command -v pulumi >/dev/null 2>&1 && [ "$(pulumi version 2>/dev/null)" = "v$PULUMI_VERSION" ]; then
  echo "using pulumi v$PULUMI_VERSION from PATH: $(command -v pulumi)"
  mkdir -p "$dest"; ln -sf "$(command -v pulumi)" "$dest/pulumi"
  exit 0
fi
if [ -x "$dest/pulumi" ]; then echo "cached: $dest"; exit 0; fi

# One build at a time per cache: a second caller waits for the first and then uses its result.
mkdir -p "$WINDOCK_CACHE/pulumi"
exec 9>"$WINDOCK_CACHE/pulumi/.build.lock"
flock 9
if [ -x "$dest/pulumi" ]; then echo "cached: $dest"; exit 0; fi

export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local
work="$WINDOCK_CACHE/pulumi/build-v$PULUMI_VERSION"
mkdir -p "$work/cli" "$dest.tmp"
ldflags="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"

# The CLI: pkg/go.mod has replace directives, so build through a wrapper module.
cd "$work/cli"
[ -f go.mod ] || go mod init windock-pulumi-cli >/dev/null
go mod edit -replace github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
# Name modules, not packages: the proxy answers 403 (not 404) for non-module paths.
go get "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" -o "$dest.tmp/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi

# The Node language host (needed only for `pulumi up` in a project directory) is an untagged
# module that the Go module proxy here refuses to serve by commit (403). windock drives the
# engine through the Automation API with inline programs, which need only the CLI.
rm -rf "$dest"; mv "$dest.tmp" "$dest"
"$dest/pulumi" version
