#!/usr/bin/env bash
# Builds a stand-in for the official docker:dind image, which cannot be pulled on these machines: Debian's
# docker.io and iptables on the stand-in rootfs of base-images.sh (run that first). The remote-engine system
# test runs a Docker engine in a container of it and reaches it over TCP (recipe: shared ENVIRONMENT.md).
# Cached by the hash of this recipe and of the rootfs image (an image label); prints the image name on stdout.
# Idempotent.
set -euo pipefail

IMAGE="${DLB_STANDIN_DIND:-dlb-standin-dind:bookworm}"
ROOTFS_IMAGE="dlb-standin-rootfs:bookworm"

log() { echo "[dind-image] $*" >&2; }

rootfs_id="$(docker image inspect --format '{{.Id}}' "$ROOTFS_IMAGE" 2>/dev/null)" \
  || { log "$ROOTFS_IMAGE is missing: run scripts/env/base-images.sh first"; exit 1; }
RECIPE="$( { cat "${BASH_SOURCE[0]}"; echo "$rootfs_id"; } | sha256sum | cut -c1-16)"

if [[ "$(docker image inspect --format '{{ index .Config.Labels "dlb.standin.recipe" }}' "$IMAGE" 2>/dev/null || true)" == "$RECIPE" ]]; then
  log "cached: $IMAGE"
  echo "$IMAGE"
  exit 0
fi

ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
cat > "$ctx/Dockerfile" <<DOCKERFILE
FROM $ROOTFS_IMAGE
RUN set -eu; export DEBIAN_FRONTEND=noninteractive; apt-get update -qq; \\
    apt-get install -y -qq --no-install-recommends docker.io iptables >/dev/null; \\
    rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
VOLUME /var/lib/docker
EXPOSE 2375
CMD ["dockerd", "-H", "unix:///var/run/docker.sock", "-H", "tcp://0.0.0.0:2375"]
DOCKERFILE
log "building $IMAGE from $ROOTFS_IMAGE with Debian's docker.io and iptables"
docker build -q --label "dlb.standin.recipe=$RECIPE" -t "$IMAGE" "$ctx" >/dev/null
log "built: $IMAGE"
echo "$IMAGE"
