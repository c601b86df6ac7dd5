#!/usr/bin/env bash
# The tools the tests drive the stack with, from Debian's packages: wrk and ab (apache2-utils) for the
# load tests, busybox to run the generated shell scripts under the shell of Alpine-based images too, and
# curl and wget, two of the tools those scripts send HTTP requests with. Idempotent.
set -euo pipefail
need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v ab >/dev/null 2>&1 || need+=(apache2-utils)
command -v busybox >/dev/null 2>&1 || need+=(busybox)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v wget >/dev/null 2>&1 || need+=(wget)
if ((${#need[@]})); then
  echo "[test-tools] installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
