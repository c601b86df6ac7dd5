#!/usr/bin/env bash
# Two checkouts of the example project run `mvn verify` at the same time on one engine, and both must
# pass. While both stacks are up (each build's last IT holds its stack, -Dexample.hold), dlb:stop in
# a third checkout that started nothing must remove nothing: both stacks stay, unchanged and answering.
# Then both holds are released and, once both builds ended, nothing of the project may be left.
#
# Needs the plugin and the parent POM in the local repository (./mvnw install). MVN_ARGS adds Maven
# options to every build, e.g. MVN_ARGS=-Dmaven.repo.local=/path/to/repo.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
read -r -a mvn_args <<< "${MVN_ARGS:-}"
project=dev.dlb:example-project
prefix=dlb-example-project-
readonly HOLD_WAIT=300   # s for both builds to bring their stacks up and reach the hold
readonly BUILD_END=180   # s for both builds to finish once released
readonly CLEANUP_WAIT=30 # s for the watchdogs of killed builds to remove their sessions

log() { echo "[concurrent-checkouts] $*"; }
fail() {
  echo "[concurrent-checkouts] FAIL: $*" >&2
  exit 1
}

work="$(mktemp -d "${TMPDIR:-/tmp}/dlb-checkouts.XXXXXX")"
declare -A pids=()
t0=$SECONDS

session_of() { sed -n 's/^session=//p' "$work/$1/target/dlb/session.properties" 2>/dev/null || true; }

project_containers() { docker container ls -aq --filter "label=dev.dlb.project=$project" "$@"; }

# Every container, network and volume of the project, by label and by name, with ids and container states.
snapshot() {
  {
    docker container ls -a --format '{{.ID}} {{.Names}} {{.State}}' --filter "label=dev.dlb.project=$project"
    docker container ls -a --format '{{.ID}} {{.Names}} {{.State}}' | awk -v p="$prefix" 'index($2, p) == 1'
    docker network ls --format 'network {{.ID}} {{.Name}}' --filter "label=dev.dlb.project=$project"
    docker network ls --format 'network {{.ID}} {{.Name}}' | awk -v p="$prefix" 'index($3, p) == 1'
    docker volume ls --format 'volume {{.Name}}' --filter "label=dev.dlb.project=$project"
    docker volume ls --format 'volume {{.Name}}' | awk -v p="$prefix" 'index($2, p) == 1'
  } | sort -u
}

# On any exit: builds still running are killed (their watchdogs then remove their sessions); whatever of
# this test's two sessions is still there after that is removed, and the project's volumes once no
# container of the project is left. Nothing else is touched.
cleanup() {
  local status=$? c s i
  set +e
  for c in "${!pids[@]}"; do
    if kill -0 "${pids[$c]}" 2>/dev/null; then
      log "cleanup: killing the build of checkout $c (process group ${pids[$c]})"
      kill -KILL -- "-${pids[$c]}" 2>/dev/null || true
    fi
  done
  for s in $(session_of a) $(session_of b); do
    for ((i = 0; i < CLEANUP_WAIT * 2; i++)); do
      [[ -z "$(docker container ls -aq --filter "label=dev.dlb.session=$s" --filter "label=dev.dlb.project=$project")" ]] && break
      sleep 0.5
    done
    docker container ls -aq --filter "label=dev.dlb.session=$s" --filter "label=dev.dlb.project=$project" | xargs -r docker rm -f >/dev/null
    docker network ls -q --filter "label=dev.dlb.session=$s" --filter "label=dev.dlb.project=$project" | xargs -r docker network rm >/dev/null
  done
  if [[ -z "$(project_containers)" ]]; then
    docker volume ls -q --filter "label=dev.dlb.project=$project" | xargs -r docker volume rm >/dev/null
  fi
  if ((status != 0)); then
    for c in a b c; do
      [[ -f "$work/$c.log" ]] && { echo "---- tail of checkout $c's build log" >&2; tail -n 40 "$work/$c.log" >&2; }
    done
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

bash "$repo/scripts/check-no-leaks.sh" "$project" "$prefix" >/dev/null \
  || fail "the engine already holds resources of $project (listed above); this test needs the project to itself"

# The copies find their parent POM at ../pom.xml, as the example does in the repository.
cp "$repo/pom.xml" "$work/pom.xml"
for c in a b c; do
  mkdir "$work/$c"
  cp -r "$repo/example-project/pom.xml" "$repo/example-project/src" "$work/$c/"
done

for c in a b; do
  # its own session and process group, so that cleanup can end the whole build
  (cd "$work/$c" && exec setsid "$repo/mvnw" -B "${mvn_args[@]}" verify -Dexample.hold="$work/$c.release") \
    >"$work/$c.log" 2>&1 &
  pids[$c]=$!
done
log "checkouts a and b run mvn verify (pids ${pids[a]}, ${pids[b]}) in $work"

for ((i = 0; ; i++)); do
  [[ -f "$work/a.release.waiting" && -f "$work/b.release.waiting" ]] && break
  ((i < HOLD_WAIT * 2)) || fail "the two builds did not both hold their stacks within $HOLD_WAIT s"
  for c in a b; do
    kill -0 "${pids[$c]}" 2>/dev/null || fail "the build of checkout $c ended before its ITs held the stack"
  done
  sleep 0.5
done
log "both stacks up and held after $((SECONDS - t0)) s"

sa="$(session_of a)"
sb="$(session_of b)"
[[ -n "$sa" && -n "$sb" && "$sa" != "$sb" ]] || fail "expected two sessions, found '$sa' (a) and '$sb' (b)"
for s in "$sa" "$sb"; do
  running="$(project_containers --filter "label=dev.dlb.session=$s" --filter status=running | wc -l)"
  ((running == 4)) || fail "session $s runs $running containers, not 3 replicas and a balancer"
done
before="$(snapshot)"

log "dlb:stop in checkout c, which started nothing"
(cd "$work/c" && "$repo/mvnw" -B "${mvn_args[@]}" dlb:stop) >"$work/c.log" 2>&1 || fail "dlb:stop in checkout c failed"
after="$(snapshot)"
if [[ "$before" != "$after" ]]; then
  diff <(echo "$before") <(echo "$after") >&2 || true
  fail "dlb:stop in a checkout that started nothing changed the stacks of the other checkouts"
fi
grep -F "$project" "$work/c.log" | grep -F "$work/c/target/dlb" | grep -qF -- "-Ddlb.stop.all" \
  || fail "dlb:stop in checkout c must say that it removed nothing, naming $project, $work/c/target/dlb and -Ddlb.stop.all"
for c in a b; do
  url="$(cat "$work/$c.release.waiting")"
  [[ "$url" =~ ^http://127\.0\.0\.1:[0-9]+/$ ]] || fail "checkout $c's balancer is not on 127.0.0.1: $url"
  curl -fsS --max-time 5 -D - -o /dev/null "$url" | tr -d '\r' | grep -qi '^X-Dlb-Replica: web-' \
    || fail "checkout $c's stack no longer answers at $url after the third checkout's stop"
done
log "both stacks unchanged and answering after that stop ($(wc -l <<< "$after") resources)"

touch "$work/a.release" "$work/b.release"
for c in a b; do
  for ((i = 0; ; i++)); do
    kill -0 "${pids[$c]}" 2>/dev/null || break
    ((i < BUILD_END * 2)) || fail "the build of checkout $c still runs $BUILD_END s after its release"
    sleep 0.5
  done
  wait "${pids[$c]}" || fail "mvn verify failed in checkout $c"
  grep -q 'BUILD SUCCESS' "$work/$c.log" || fail "mvn verify did not succeed in checkout $c"
  unset "pids[$c]"
done
for c in a b c; do
  grep -E 'Leaving session|Removing session|Kept volume|Could not remove|dlb: removed|No session file' "$work/$c.log" | sed "s/^/  [$c] /" || true
done
bash "$repo/scripts/check-no-leaks.sh" "$project" "$prefix" || fail "something of $project was left after both builds"
log "PASS in $((SECONDS - t0)) s: two checkouts verified concurrently, a third one's stop removed nothing"
