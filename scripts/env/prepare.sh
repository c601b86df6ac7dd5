#!/usr/bin/env bash
# Everything the tests and the demo need on a fresh Debian machine of this kind, idempotently:
# a running Docker engine, stand-in httpd/nginx base images (Debian-based, and BusyBox-only ones as
# Alpine-based images are), a stand-in golang image for the plugin's own confd build, a stand-in docker:dind
# image (a Docker engine run in a container by the remote-engine and swarm tests), a registry image from
# Debian's docker-registry (the swarm test's nodes pull from it), a confd binary built from source,
# the load and shell tools the tests use, and Podman's Docker-compatible API for the Podman system test.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/docker-engine.sh"
bash "$here/base-images.sh" >/dev/null
bash "$here/busybox-images.sh" >/dev/null
bash "$here/golang-image.sh" >/dev/null
bash "$here/dind-image.sh" >/dev/null
bash "$here/registry-image.sh" >/dev/null
bash "$here/confd.sh" >/dev/null
bash "$here/test-tools.sh"
bash "$here/podman.sh"
