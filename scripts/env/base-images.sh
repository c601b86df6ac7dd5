#!/usr/bin/env bash
# Builds stand-in base images for machines that cannot pull the official httpd and nginx images.
# They come from Debian's packages (debootstrap + docker import) and honour the official images'
# contracts, so the plugin's Dockerfiles work unchanged on either:
#   httpd: httpd-foreground on PATH (passes its arguments on), document root
#          /usr/local/apache2/htdocs, logs to stdout/stderr, STOPSIGNAL SIGWINCH
#   nginx: nginx and curl on PATH (the official images ship curl), /etc/nginx/nginx.conf, logs to
#          stdout/stderr, STOPSIGNAL SIGQUIT
# Cached by the recipe's content hash (an image label); rebuilt only when this script changes.
# Prints the two image names on stdout. Idempotent.
set -euo pipefail

HTTPD_IMAGE="${DLB_STANDIN_HTTPD:-dlb-standin-httpd:2.4-bookworm}"
NGINX_IMAGE="${DLB_STANDIN_NGINX:-dlb-standin-nginx:1.22-bookworm}"
ROOTFS_IMAGE="dlb-standin-rootfs:bookworm"
RECIPE="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)"

log() { echo "[base-images] $*" >&2; }

recipe_of() { docker image inspect --format '{{ index .Config.Labels "dlb.standin.recipe" }}' "$1" 2>/dev/null || true; }

up_to_date() {
  local image
  for image in "$@"; do [[ "$(recipe_of "$image")" == "$RECIPE" ]] || return 1; done
}

mirror() {
  local uri
  uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
  echo "${uri:-http://deb.debian.org/debian}"
}

build_rootfs() {
  if up_to_date "$ROOTFS_IMAGE"; then log "cached: $ROOTFS_IMAGE"; return; fi
  command -v debootstrap >/dev/null 2>&1 || { apt-get update -qq; apt-get install -y -qq debootstrap >/dev/null; }
  local dir
  dir="$(mktemp -d /var/tmp/dlb-rootfs.XXXXXX)"
  trap 'rm -rf "$dir"' RETURN
  log "debootstrap bookworm (apache2, nginx, curl) from $(mirror) into $dir"
  debootstrap --variant=minbase --include=apache2,nginx,curl bookworm "$dir" "$(mirror)" >/var/log/dlb-debootstrap.log 2>&1 \
    || { tail -n 30 /var/log/dlb-debootstrap.log >&2; exit 1; }
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  log "docker import $ROOTFS_IMAGE"
  tar -C "$dir" -c . | docker import --change "LABEL dlb.standin.recipe=$RECIPE" - "$ROOTFS_IMAGE" >/dev/null
}

build_image() {
  local image="$1" dockerfile="$2"
  if up_to_date "$image"; then log "cached: $image"; return; fi
  log "building $image"
  local ctx
  ctx="$(mktemp -d)"
  printf '%s\n' "$dockerfile" > "$ctx/Dockerfile"
  docker build -q --label "dlb.standin.recipe=$RECIPE" -t "$image" "$ctx" >/dev/null
  rm -rf "$ctx"
}

HTTPD_DOCKERFILE=$(cat <<DOCKERFILE
FROM $ROOTFS_IMAGE
RUN set -eu; \\
    a2enmod -q headers; a2dissite -q 000-default; a2disconf -q other-vhosts-access-log; \\
    mkdir -p /usr/local/apache2/htdocs; \\
    printf '%s\n' '<html><body><h1>It works!</h1></body></html>' > /usr/local/apache2/htdocs/index.html; \\
    printf '%s\n' \\
      'DocumentRoot "/usr/local/apache2/htdocs"' \\
      '<Directory "/usr/local/apache2/htdocs">' \\
      '    Options FollowSymLinks' \\
      '    AllowOverride None' \\
      '    Require all granted' \\
      '</Directory>' \\
      'ErrorLog /proc/self/fd/2' \\
      'CustomLog /proc/self/fd/1 combined' \\
      > /etc/apache2/conf-enabled/zz-official-httpd-contract.conf; \\
    printf '%s\n' '#!/bin/sh' 'set -e' '. /etc/apache2/envvars' \\
      'mkdir -p /run/lock "\$APACHE_RUN_DIR" "\$APACHE_LOCK_DIR" "\$APACHE_LOG_DIR"' \\
      'exec apache2 "\$@"' > /usr/local/bin/httpd; \\
    printf '%s\n' '#!/bin/sh' 'set -e' '. /etc/apache2/envvars' 'rm -f "\$APACHE_PID_FILE"' \\
      'exec httpd -DFOREGROUND "\$@"' > /usr/local/bin/httpd-foreground; \\
    chmod 755 /usr/local/bin/httpd /usr/local/bin/httpd-foreground
WORKDIR /usr/local/apache2
EXPOSE 80
STOPSIGNAL SIGWINCH
CMD ["httpd-foreground"]
DOCKERFILE
)

NGINX_DOCKERFILE=$(cat <<DOCKERFILE
FROM $ROOTFS_IMAGE
RUN set -eu; \\
    ln -sf /dev/stdout /var/log/nginx/access.log; \\
    ln -sf /dev/stderr /var/log/nginx/error.log; \\
    rm -f /etc/nginx/sites-enabled/default
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
DOCKERFILE
)

build_rootfs
build_image "$HTTPD_IMAGE" "$HTTPD_DOCKERFILE"
build_image "$NGINX_IMAGE" "$NGINX_DOCKERFILE"
echo "$HTTPD_IMAGE"
echo "$NGINX_IMAGE"
