# Sourced by the scripts that build a stand-in image from Debian packages on the stand-in rootfs of
# base-images.sh (run that first).
#   on_rootfs_build NAME IMAGE CONTEXT
# builds IMAGE from CONTEXT, whose Dockerfile starts FROM $ROOTFS_IMAGE, unless IMAGE already carries the
# recipe's hash (of the context's files and the rootfs image's id, as an image label); prints IMAGE on stdout.
ROOTFS_IMAGE="dlb-standin-rootfs:bookworm"

on_rootfs_build() {
  local name="$1" image="$2" ctx="$3" rootfs_id recipe
  rootfs_id="$(docker image inspect --format '{{.Id}}' "$ROOTFS_IMAGE" 2>/dev/null)" \
    || { echo "[$name] $ROOTFS_IMAGE is missing: run scripts/env/base-images.sh first" >&2; return 1; }
  recipe="$( { (cd "$ctx" && find . -type f | LC_ALL=C sort | xargs cat); echo "$rootfs_id"; } | sha256sum | cut -c1-16)"
  if [[ "$(docker image inspect --format '{{ index .Config.Labels "dlb.standin.recipe" }}' "$image" 2>/dev/null || true)" == "$recipe" ]]; then
    echo "[$name] cached: $image" >&2
  else
    echo "[$name] building $image from $ROOTFS_IMAGE" >&2
    docker build -q --label "dlb.standin.recipe=$recipe" -t "$image" "$ctx" >/dev/null
    echo "[$name] built: $image" >&2
  fi
  echo "$image"
}
