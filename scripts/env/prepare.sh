#!/usr/bin/env bash
# Everything the tests and the demo need on a fresh Debian machine of this kind, idempotently:
# a running Docker engine, stand-in httpd/nginx base images, and a confd binary built from source.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/docker-engine.sh"
bash "$here/base-images.sh" >/dev/null
bash "$here/confd.sh" >/dev/null
