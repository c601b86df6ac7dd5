#!/usr/bin/env bash
# Builds stand-ins for Alpine-based httpd and nginx images: the Debian stand-ins of base-images.sh (same
# contracts: httpd-foreground, /usr/local/apache2/htdocs, nginx, /etc/nginx/nginx.conf, logs to
# stdout/stderr, STOPSIGNALs) with bash, dash and curl removed, and BusyBox as /bin/sh, wget and the
# usual tools of scripts, as in Alpine. Debian's busybox, not busybox-static: the static one's shell runs
# its own applets before the PATH (its httpd instead of Apache's), which Alpine's does not.
# A separate script so that changing it never rebuilds the stand-ins every other test uses.
# Cached by this script's content and the base images' ids (an image label). Prints the two image
# names on stdout. Idempotent.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HTTPD_IMAGE="${DLB_STANDIN_HTTPD_BUSYBOX:-dlb-standin-httpd:2.4-busybox}"
NGINX_IMAGE="${DLB_STANDIN_NGINX_BUSYBOX:-dlb-standin-nginx:1.22-busybox}"

log() { echo "[busybox-images] $*" >&2; }

recipe_of() { docker image inspect --format '{{ index .Config.Labels "dlb.standin.recipe" }}' "$1" 2>/dev/null || true; }

# The applets that stand in for the image's own tools, as in Alpine.
APPLETS="sh wget awk cat cp cut date grep head mkdir mv nproc readlink rm sed sleep sort tail tee timeout tr wc"

# BusyBox's binary, extracted from Debian's package into $1 (it needs only libc, which the image has).
fetch_busybox() {
  local dir="$1" deb
  (cd "$dir" && { apt-get download busybox >/dev/null 2>&1 || { apt-get update -qq && apt-get download busybox >/dev/null; }; })
  deb="$(ls "$dir"/busybox_*.deb)"
  dpkg-deb -x "$deb" "$dir/pkg"
  mv "$dir/pkg/bin/busybox" "$dir/busybox"
  rm -rf "$dir/pkg" "$deb"
}

# The Dockerfile: every removal and link runs under BusyBox itself, since dash is among what goes.
dockerfile() {
  cat <<DOCKERFILE
FROM $1
COPY busybox /usr/bin/busybox
RUN ["/usr/bin/busybox", "sh", "-euc", "cd /usr/bin; rm -f bash rbash dash curl; for a in $APPLETS; do ln -sf busybox \$a; done; for s in bash dash curl; do if command -v \$s; then exit 1; fi; done"]
LABEL dlb.standin.recipe=$2
DOCKERFILE
}

build() {
  local image="$1" base="$2" recipe ctx
  recipe="$( { sha256sum "${BASH_SOURCE[0]}"; docker image inspect --format '{{.Id}}' "$base"; } | sha256sum | cut -c1-16)"
  if [[ "$(recipe_of "$image")" == "$recipe" ]]; then log "cached: $image"; return; fi
  log "building $image from $base"
  ctx="$(mktemp -d)"
  trap 'rm -rf "$ctx"' RETURN
  fetch_busybox "$ctx"
  dockerfile "$base" "$recipe" > "$ctx/Dockerfile"
  docker build -q -t "$image" "$ctx" >/dev/null
}

mapfile -t bases < <(bash "$here/base-images.sh")
build "$HTTPD_IMAGE" "${bases[0]}"
build "$NGINX_IMAGE" "${bases[1]}"
echo "$HTTPD_IMAGE"
echo "$NGINX_IMAGE"
