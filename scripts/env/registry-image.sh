#!/usr/bin/env bash
# Builds a container registry image from Debian's docker-registry package (distribution 2.8) on the stand-in
# rootfs of base-images.sh (run that first): no registry image can be pulled on these machines. The swarm
# system test runs it beside the swarm's nodes, which pull the stack's images from it (plain HTTP: the nodes
# list it in --insecure-registries). It listens on :5000 and stores under /var/lib/docker-registry.
# Cached by the hash of its recipe and of the rootfs image (on-rootfs.sh); prints the image name on stdout.
# Idempotent.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/on-rootfs.sh"

IMAGE="${DLB_STANDIN_REGISTRY:-dlb-standin-registry:bookworm}"
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
on_rootfs_build registry-image "$IMAGE" "$ctx"
