#!/usr/bin/env bash
# Podman's Docker-compatible API for the Podman system test (PodmanIT), idempotently: Debian's podman 4.3 with
# netavark and aardvark-dns (containers find each other by name on the networks the plugin creates, internal ones
# included), configured for machines of this kind, and `podman system service` at unix:///run/podman/podman.sock,
# started in the background (no systemd here) and left running. The Docker engine is left alone.
# Point the plugin at it with DOCKER_HOST=unix:///run/podman/podman.sock.
set -euo pipefail

SOCKET=/run/podman/podman.sock
PIDFILE=/run/podman/dlb-service.pid
LOG=/var/log/dlb-podman-service.log
CONF=/etc/containers/containers.conf.d/50-dlb.conf

log() { echo "[podman] $*" >&2; }

# The machine forbids raising rlimits past its hard limits (nofile 20000 here), and Podman's defaults (1048576)
# are above them, so that no container started without limits of its own (podman run) would start; the plugin
# gives its containers both. crun refuses the hybrid cgroup layout of these machines; runc, Docker's runtime too,
# runs there.
CONF_TEXT='# Written by dlb-maven-plugin scripts/env/podman.sh
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]

[engine]
runtime = "runc"

[network]
network_backend = "netavark"'

install() {
  local need=()
  command -v podman >/dev/null 2>&1 || need+=(podman)
  for package in netavark aardvark-dns runc; do
    dpkg -s "$package" >/dev/null 2>&1 || need+=("$package")
  done
  if ((${#need[@]})); then
    log "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # runc named, so that podman's "crun | runc" takes it; no recommends (buildah, slirp4netns: rootless only)
    apt-get install -y -qq --no-install-recommends podman netavark aardvark-dns runc >/dev/null
  fi
}

# Returns 0 when the configuration changed.
configure() {
  if [[ -f "$CONF" && "$(cat "$CONF")" == "$CONF_TEXT" ]]; then
    return 1
  fi
  log "writing $CONF"
  mkdir -p "$(dirname "$CONF")"
  printf '%s\n' "$CONF_TEXT" > "$CONF"
}

# Docker sets the FORWARD policy to DROP and makes bridged traffic pass iptables (br_netfilter). netavark 1.4 adds no
# FORWARD rule for an internal network, so containers on one (the plugin's replicas and balancer) cannot reach each
# other. This accepts what is switched within one Podman bridge, as Docker does for its own bridges; it routes
# nothing in or out of any network.
allow_bridged() {
  command -v iptables >/dev/null 2>&1 || return 0
  local rule=(FORWARD -m physdev --physdev-is-bridged -i podman+ -o podman+ -j ACCEPT)
  if ! iptables -w -C "${rule[@]}" 2>/dev/null; then
    log "iptables: accepting traffic within each Podman bridge"
    iptables -w -I "${rule[@]}"
  fi
}

answers() { timeout 5 podman --remote --url "unix://$SOCKET" version >/dev/null 2>&1; }

stop_ours() {
  local pid
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    log "restarting the service ($pid) to read the new configuration"
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
    log "the service $pid did not end"; exit 1
  fi
}

start_service() {
  mkdir -p "$(dirname "$SOCKET")"
  log "starting podman system service at unix://$SOCKET (log: $LOG)"
  # setsid: the service must not die with the shell or Maven process that started it. From /: conmon inherits
  # the service's working directory and fails every container start once that directory is deleted (a checkout).
  (cd / && exec setsid podman system service --time=0 "unix://$SOCKET" >>"$LOG" 2>&1 </dev/null) &
  echo $! > "$PIDFILE"
  for _ in $(seq 1 60); do
    if answers; then
      log "answering: Podman $(podman --remote --url "unix://$SOCKET" version --format '{{.Server.Version}}')"
      return 0
    fi
    sleep 0.5
  done
  log "the service did not answer within 30 s; tail of $LOG:"
  tail -n 30 "$LOG" >&2 || true
  exit 1
}

install
changed=0
configure && changed=1
allow_bridged
if ((changed)); then
  stop_ours
fi
if answers; then
  log "answering at unix://$SOCKET"
else
  start_service
fi
