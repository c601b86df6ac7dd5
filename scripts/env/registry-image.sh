#!/usr/bin/env bash
# Builds a container registry image from Debian's docker-registry package (distribution 2.8) on the stand-in
# rootfs of base-images.sh (run that first): no registry image can be pulled on these machines. The swarm
# system test runs it beside the swarm's nodes, which pull the stack's images from it (plain HTTP: the nodes
# list it in --insecure-registries). It listens on :5000 and stores under /var/lib/docker-registry.
# Cached by the hash of this recipe and of the rootfs image (an image label); prints the image name on stdout.
# Idempotent.
set -euo pipefail

IMAGE="${DLB_STANDIN_REGISTRY:-dlb-standin-registry:bookworm}"
ROOTFS_IMAGE="dlb-standin-rootfs:bookworm"

log() { echo "[registry-image] $*" >&2; }

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
cat > "$ctx/config.yml" <<'CONFIG'
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: /var/lib/docker-registry
  delete:
    enabled: true
http:
  addr: :5000
CONFIG
cat > "$ctx/Dockerfile" <<DOCKERFILE
FROM $ROOTFS_IMAGE
RUN set -eu; export DEBIAN_FRONTEND=noninteractive; apt-get update -qq; \\
    apt-get install -y -qq --no-install-recommends docker-registry apache2-utils >/dev/null; \\
    rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb; mkdir -p /var/lib/docker-registry
COPY config.yml /etc/docker/registry/config.yml
VOLUME /var/lib/docker-registry
EXPOSE 5000
CMD ["docker-registry", "serve", "/etc/docker/registry/config.yml"]
DOCKERFILE
log "building $IMAGE from $ROOTFS_IMAGE with Debian's docker-registry"
docker build -q --label "dlb.standin.recipe=$RECIPE" -t "$IMAGE" "$ctx" >/dev/null
log "built: $IMAGE"
echo "$IMAGE"
