#!/usr/bin/env bash
# Fails when any container, network or volume made by dlb-maven-plugin is still there.
set -euo pipefail
left=0
for kind in "ps -a" "network ls" "volume ls"; do
  found="$(docker $kind -q --filter label=dev.dlb.project)"
  if [[ -n "$found" ]]; then
    echo "LEAK: docker $kind still lists resources labelled dev.dlb.project:" >&2
    docker $kind --filter label=dev.dlb.project >&2
    left=1
  fi
done
if ((left)); then exit 1; fi
echo "No containers, networks or volumes of dlb left."
