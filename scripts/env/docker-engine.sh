#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine: installs Debian's docker.io when dockerd is
# missing and starts it in the background (these machines have no systemd). Idempotent.
set -euo pipefail

log() { echo "[docker-engine] $*"; }

engine_answers() { timeout 5 docker info >/dev/null 2>&1; }

if engine_answers; then
  log "engine already answering"
  exit 0
fi

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
if ((${#need[@]})); then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! pgrep -x dockerd >/dev/null; then
  log "starting dockerd (log: /var/log/dockerd.log)"
  # setsid: the engine must not die with the shell or Maven process that started it; from /, which no cleanup deletes
  (cd / && exec setsid dockerd >/var/log/dockerd.log 2>&1 </dev/null) &
fi

for _ in $(seq 1 60); do
  if engine_answers; then
    log "engine answering: $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
    exit 0
  fi
  sleep 1
done
log "dockerd did not answer within 60 s; tail of /var/log/dockerd.log:"
tail -n 30 /var/log/dockerd.log >&2 || true
exit 1
