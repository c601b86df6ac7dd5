#!/usr/bin/env bash
# Builds a stand-in for the official golang:1.22-bookworm image, which cannot be pulled on these machines:
# the plugin builds confd in a container from that image when no <confd><binary> is given. It comes from
# the stand-in Debian rootfs (scripts/env/base-images.sh) plus golang-1.22 from bookworm-backports, and
# keeps the official image's contract: go on PATH, GOROOT's bin at /usr/local/go/bin, GOPATH=/go,
# GOTOOLCHAIN=local, CA certificates for the module proxy. It also trusts the CAs this host added locally
# (/usr/local/share/ca-certificates): where the network intercepts TLS, as on these machines, go must
# trust that CA to reach the proxy. Modules stay verified against sum.golang.org, whose signatures go
# checks with the key built into it, whoever carries the traffic.
# Cached by a hash of this script and those CAs (an image label); rebuilt only when either changes.
# Prints the image name on stdout. Idempotent.
set -euo pipefail

GOLANG_IMAGE="${DLB_STANDIN_GOLANG:-dlb-standin-golang:1.22-bookworm}"
ROOTFS_IMAGE="dlb-standin-rootfs:bookworm"
LOCAL_CAS=/usr/local/share/ca-certificates
local_cas() { find "$LOCAL_CAS" -type f -name '*.crt' 2>/dev/null | sort; }
RECIPE="$( { cat "${BASH_SOURCE[0]}"; local_cas | xargs -r cat; } | sha256sum | cut -c1-16)"

log() { echo "[golang-image] $*" >&2; }

recipe_of() { docker image inspect --format '{{ index .Config.Labels "dlb.standin.recipe" }}' "$1" 2>/dev/null || true; }

mirror() {
  local uri
  uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
  echo "${uri:-http://deb.debian.org/debian}"
}

if [[ "$(recipe_of "$GOLANG_IMAGE")" == "$RECIPE" ]]; then
  log "cached: $GOLANG_IMAGE"
  echo "$GOLANG_IMAGE"
  exit 0
fi
docker image inspect "$ROOTFS_IMAGE" >/dev/null 2>&1 || bash "$(dirname "${BASH_SOURCE[0]}")/base-images.sh" >/dev/null

ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
mkdir "$ctx/local-cas"
local_cas | while read -r ca; do cp "$ca" "$ctx/local-cas/$(basename "$ca")"; done
cat > "$ctx/Dockerfile" <<DOCKERFILE
FROM $ROOTFS_IMAGE
COPY local-cas/ /usr/local/share/ca-certificates/
RUN set -eu; \\
    echo 'deb $(mirror) bookworm-backports main' > /etc/apt/sources.list.d/backports.list; \\
    apt-get update -qq; \\
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -t bookworm-backports golang-1.22-go ca-certificates >/dev/null; \\
    update-ca-certificates >/dev/null; \\
    rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb; \\
    ln -s /usr/lib/go-1.22 /usr/local/go; \\
    mkdir -p /go/src /go/bin; chmod -R 1777 /go; \\
    /usr/local/go/bin/go version
ENV GOLANG_VERSION=1.22 GOTOOLCHAIN=local GOPATH=/go PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /go
DOCKERFILE
log "building $GOLANG_IMAGE (golang-1.22 from bookworm-backports at $(mirror))"
docker build -q --label "dlb.standin.recipe=$RECIPE" -t "$GOLANG_IMAGE" "$ctx" >/dev/null
log "built: $GOLANG_IMAGE ($(docker run --rm "$GOLANG_IMAGE" go version))"
echo "$GOLANG_IMAGE"
