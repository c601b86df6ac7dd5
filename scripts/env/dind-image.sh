#!/usr/bin/env bash
# Builds a stand-in for the official docker:dind image, which cannot be pulled on these machines: Debian's
# docker.io and iptables on the stand-in rootfs of base-images.sh (run that first). The remote-engine system
# test runs a Docker engine in a container of it and reaches it over TCP (recipe: shared ENVIRONMENT.md).
# Cached by the hash of its recipe and of the rootfs image (on-rootfs.sh); prints the image name on stdout.
# Idempotent.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/on-rootfs.sh"

IMAGE="${DLB_STANDIN_DIND:-dlb-standin-dind:bookworm}"
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
on_rootfs_build dind-image "$IMAGE" "$ctx"
