#!/usr/bin/env bash
# Fails when any container, network or volume made by dlb-maven-plugin is still there. Looks twice,
# through the docker CLI: by the label dlb puts on everything, and by name (dlb-...), so that a
# resource that lost its labels, or never got them, is caught too. Images are not checked: the
# stand-in bases and the dlb/ tags are cached on purpose.
# Usage: check-no-leaks.sh [PROJECT_ID NAME_PREFIX] to look at one project only, for example
#   check-no-leaks.sh dev.dlb:example-project dlb-example-project-
set -euo pipefail
project="${1:-}"
prefix="${2:-dlb-}"
label="dev.dlb.project${project:+=$project}"

names() { # KIND [docker ls options...]: one name per line
  local kind="$1"
  shift
  case "$kind" in
    container) docker container ls -a --format '{{.Names}}' "$@" ;;
    network) docker network ls --format '{{.Name}}' "$@" ;;
    volume) docker volume ls --format '{{.Name}}' "$@" ;;
  esac
}

left=0
for kind in container network volume; do
  labelled="$(names "$kind" --filter "label=$label")"
  named="$(names "$kind" | awk -v p="$prefix" 'index($0, p) == 1')"
  if [[ -n "$labelled" ]]; then
    echo "LEAK: ${kind}s labelled $label:" $labelled >&2
    left=1
  fi
  if [[ -n "$named" ]]; then
    echo "LEAK: ${kind}s named $prefix*:" $named >&2
    left=1
  fi
done
if ((left)); then exit 1; fi
echo "No containers, networks or volumes of dlb left (label $label, names $prefix*)."
