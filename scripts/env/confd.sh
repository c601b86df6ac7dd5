#!/usr/bin/env bash
# Builds confd (github.com/abtreece/confd) from its Go module at a pinned version, because no
# release binary can be downloaded on these machines. Cached by version; prints the binary's path
# on stdout (the last line). Idempotent.
set -euo pipefail

CONFD_VERSION="${CONFD_VERSION:-v0.30.0}"
export HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
CACHE="${DLB_CACHE:-$HOME/.cache/dlb}/confd/${CONFD_VERSION}"
BIN="$CACHE/confd"

log() { echo "[confd] $*" >&2; }

if [[ -x "$BIN" ]] && "$BIN" --version >/dev/null 2>&1; then
  log "cached: $BIN ($("$BIN" --version 2>&1 | head -n1))"
  echo "$BIN"
  exit 0
fi

command -v go >/dev/null 2>&1 || export PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null 2>&1 || { log "no Go toolchain on PATH; install one (apt-get install golang-go)"; exit 1; }
mkdir -p "$CACHE"
log "building github.com/abtreece/confd/cmd/confd@${CONFD_VERSION} from the Go module proxy"
# `go install pkg@version` also reads the module's version list, which the proxy here refuses,
# so build from a throwaway module that requires the pinned version instead.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(
  cd "$work"
  go mod init dlb.local/confd-build >/dev/null 2>&1
  go mod edit -require="github.com/abtreece/confd@${CONFD_VERSION}"
  GOFLAGS=-mod=mod go mod download github.com/abtreece/confd >&2
  # Static binary: it runs in any base image, Debian or Alpine.
  GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 \
    go build -trimpath -ldflags='-s -w' -o "$BIN" github.com/abtreece/confd/cmd/confd >&2
)
"$BIN" --version >&2
log "built: $BIN"
echo "$BIN"
