#!/usr/bin/env bash
# The benchmark of start, stop, builds and serving (issue 8), side by side with fabric8's
# docker-maven-plugin 0.46.0, docker-compose, a docker-run script and the engine's own floor; prints one
# markdown table of medians over ROUNDS alternating rounds, with ratios. See README, "Benchmark".
#
#   bash scripts/bench.sh            full: ROUNDS (5) rounds at SIZES ("3 20") replicas, wrk for DURATION (10) s
#                                    on a stack of the first size
#   bash scripts/bench.sh --smoke    every peer and every row once, at 2 replicas, wrk for 2 s (CI)
#
# Needs the machine set up by scripts/env/prepare.sh. It installs the plugin first (BENCH_SKIP_INSTALL=1 when
# it is installed already); MVN_ARGS adds Maven options to every build (e.g. -Dmaven.repo.local=...). It works
# on a copy of example-project with an artifactId of its own, so it never touches the example's images, stacks
# or volumes; everything it creates is named bench-ID-... (dlb's own: dlb-bench-ID-...) and removed on any
# exit, Ctrl-C included.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$repo/scripts/bench"

smoke=0
[[ "${1:-}" == --smoke ]] && smoke=1
if ((smoke)); then
  rounds=1 sizes=(2) serve_replicas=2 duration="${DURATION:-2}"
else
  rounds="${ROUNDS:-5}" duration="${DURATION:-10}"
  read -r -a sizes <<< "${SIZES:-3 20}"
  serve_replicas="${sizes[0]}"
fi
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a whole number of at least 1, not '$rounds'" >&2; exit 2; }
[[ "$duration" =~ ^[1-9][0-9]*$ ]] || { echo "DURATION must be a whole number of seconds, at least 1, not '$duration'" >&2; exit 2; }
for n in "${sizes[@]}"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "SIZES must list replica counts, not '${SIZES:-}'" >&2; exit 2; }
done
read -r -a mvn_args <<< "${MVN_ARGS:-}"
readonly READY_TIMEOUT=120 # s for a started stack to answer from every replica
readonly REST_SECONDS=3 # s over which a started stack's CPU at rest is measured
readonly STEP_TIMEOUT=600  # s for any one command

id="$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')"
P="bench-$id-"                         # prefix of everything the peers create
artifact="bench-$id"                   # the example copy's artifactId: dlb names its things dlb-bench-ID-...
project="dev.dlb:$artifact"
work="$(mktemp -d "${TMPDIR:-/tmp}/dlb-bench.XXXXXX")"
results="$work/results"
: > "$results"
t_begin=$SECONDS

log() { echo "[bench] $*" >&2; }
fail() {
  echo "[bench] FAIL: $*" >&2
  exit 1
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
record() { echo "$1 $2" >> "$results"; }

# step NAME CMD...: runs CMD with a time bound, its output in $work/logs/NAME.log; on failure shows its tail.
step() {
  local name="$1"
  shift
  mkdir -p "$work/logs"
  # in the background and waited for, so that Ctrl-C reaches the trap at once; timeout leads its own
  # process group, which cleanup ends
  timeout "$STEP_TIMEOUT" "$@" > "$work/logs/$name.log" 2>&1 &
  step_pid=$!
  if ! wait "$step_pid"; then
    step_pid=""
    tail -n 40 "$work/logs/$name.log" >&2
    fail "step '$name' failed: $*"
  fi
  step_pid=""
}
step_pid=""
mvn=("$repo/mvnw" -B -o "${mvn_args[@]}")
mvn_project=("${mvn[@]}" -f "$work/project/pom.xml")
compose() { docker-compose -p "${P}compose" -f "$work/render-$1/docker-compose.yml" "${@:2}"; }

# ---------------------------------------------------------------------------------------------- cleanup
names_with_prefix() { # KIND: names of that kind starting with $P
  case "$1" in
    container) docker container ls -a --format '{{.Names}}' ;;
    network) docker network ls --format '{{.Name}}' ;;
    volume) docker volume ls --format '{{.Name}}' ;;
  esac | awk -v p="$P" 'index($0, p) == 1'
}
leftovers() {
  {
    for kind in container network volume; do names_with_prefix "$kind" | sed "s/^/$kind /"; done
    docker container ls -aq --filter "label=dev.dlb.project=$project" | sed 's/^/container /'
    docker network ls -q --filter "label=dev.dlb.project=$project" | sed 's/^/network /'
    docker volume ls -q --filter "label=dev.dlb.project=$project" | sed 's/^/volume /'
  } | sort -u
}
cleanup() {
  local status=$? i
  set +e
  trap - EXIT INT TERM
  if [[ -n "$step_pid" ]]; then
    kill -TERM -- "-$step_pid" 2>/dev/null
    wait "$step_pid" 2>/dev/null
  fi
  log "removing everything of this run ($P*, $project)"
  { names_with_prefix container; docker container ls -aq --filter "label=dev.dlb.project=$project"; } | xargs -r docker rm -f >/dev/null 2>&1
  { names_with_prefix network; docker network ls -q --filter "label=dev.dlb.project=$project"; } | xargs -r docker network rm >/dev/null 2>&1
  { names_with_prefix volume; docker volume ls -q --filter "label=dev.dlb.project=$project"; } | xargs -r docker volume rm >/dev/null 2>&1
  # every image of the run is built on a base that carries the run's label; children go before their parents
  for i in 1 2 3; do
    docker image ls -q --filter "label=dev.dlb.bench.run=$id" | sort -u | xargs -r docker rmi -f >/dev/null 2>&1
  done
  local left
  left="$(leftovers)"
  if [[ -n "$left" ]]; then
    echo "[bench] LEAK: left behind:" $left >&2
    status=1
  fi
  if [[ -n "$(docker image ls -q --filter "label=dev.dlb.bench.run=$id")" ]]; then
    echo "[bench] LEAK: images labelled dev.dlb.bench.run=$id remain" >&2
    status=1
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------- setup
for tool in docker docker-compose wrk curl python3 timeout; do
  command -v "$tool" >/dev/null || fail "$tool is missing: run bash scripts/env/prepare.sh first"
done
python3 -c 'import yaml' 2>/dev/null || fail "python3-yaml is missing: run bash scripts/env/prepare.sh first"
docker info >/dev/null 2>&1 || fail "no Docker engine answers: run bash scripts/env/prepare.sh first"
standin() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$repo/pom.xml" | head -n 1; }
httpd_base="$(standin dlb.standin.httpd)"
nginx_base="$(standin dlb.standin.nginx)"
for image in "$httpd_base" "$nginx_base"; do
  docker image inspect "$image" >/dev/null 2>&1 || fail "stand-in base image $image is missing: run bash scripts/env/prepare.sh first"
done

if [[ "${BENCH_SKIP_INSTALL:-0}" != 1 ]]; then
  log "installing the plugin"
  step install "$repo/mvnw" -B "${mvn_args[@]}" -f "$repo/pom.xml" install -DskipTests -Dinvoker.skip=true -pl dlb-maven-plugin -am
fi

# docker-java's first answer in a fresh JVM, on the plugin's jar (its classes and nothing else): the least a cold goal pays
plugin_jar="$(ls "$repo"/dlb-maven-plugin/target/dlb-maven-plugin-[0-9]*.jar 2>/dev/null | head -n 1)"
[[ -n "$plugin_jar" ]] || fail "no plugin jar in dlb-maven-plugin/target: run without BENCH_SKIP_INSTALL"
step first-answer-javac javac -d "$work/first-answer" -cp "$plugin_jar" "$bench/FirstAnswer.java"
first_answer() {
  local ms
  ms="$(timeout "$STEP_TIMEOUT" java -cp "$work/first-answer:$plugin_jar" FirstAnswer "${DOCKER_HOST:-unix:///var/run/docker.sock}" 2>/dev/null)"
  [[ "$ms" =~ ^[0-9]+$ ]] || fail "FirstAnswer printed '$ms', not milliseconds"
  awk -v ms="$ms" 'BEGIN { printf "%.3f", ms / 1000 }'
}

# The example project, copied under its own artifactId, building FROM base images of its own (see fresh_bases).
mkdir -p "$work/project"
cp "$repo/pom.xml" "$work/pom.xml"
cp -r "$repo/example-project/src" "$work/project/"
sed -e "0,/<artifactId>example-project<\/artifactId>/s//<artifactId>$artifact<\/artifactId>/" \
    -e "s:<greeting>hello</greeting>:<greeting>hello</greeting><dlb.standin.httpd>${P}base-httpd\:latest</dlb.standin.httpd><dlb.standin.nginx>${P}base-nginx\:latest</dlb.standin.nginx>:" \
    "$repo/example-project/pom.xml" > "$work/project/pom.xml"
grep -q "<artifactId>$artifact</artifactId>" "$work/project/pom.xml" && grep -q "${P}base-nginx" "$work/project/pom.xml" \
  || fail "could not adapt example-project/pom.xml for the benchmark (its artifactId or <greeting> property moved?)"
web_image="dlb/$artifact-web:0.1.0-SNAPSHOT"
balancer_image="dlb/$artifact-balancer:0.1.0-SNAPSHOT"

# Base images with a new id, on top of the stand-ins: Docker's classic builder then has no cached layer
# of any earlier build to reuse, whoever made it. Made before a timer starts.
fresh_bases() {
  local nonce
  nonce="$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  printf 'FROM %s\nLABEL dev.dlb.bench.run=%s dev.dlb.bench.nonce=%s\n' "$httpd_base" "$id" "$nonce" \
    | timeout "$STEP_TIMEOUT" docker build -q -t "${P}base-httpd:latest" - >> "$work/base-images.log" 2>&1
  printf 'FROM %s\nLABEL dev.dlb.bench.run=%s dev.dlb.bench.nonce=%s\n' "$nginx_base" "$id" "$nonce" \
    | timeout "$STEP_TIMEOUT" docker build -q -t "${P}base-nginx:latest" - >> "$work/base-images.log" 2>&1
}

# render N: target/dlb of the copy for N replicas, in $work/render-N (compose file, contexts), and the
# peers' scripts and fabric8 POM made from its compose file.
render() {
  local n="$1" dir="$work/render-$1"
  [[ -f "$dir/docker-compose.yml" ]] && return 0
  step "render-$n" "${mvn_project[@]}" dlb:render-config -Ddlb.web.replicas="$n" -Ddlb.outputDirectory="$dir"
  python3 "$bench/stack.py" run "$dir/docker-compose.yml" "${P}seq-" seq > "$work/seq-$n.sh"
  python3 "$bench/stack.py" run "$dir/docker-compose.yml" "${P}par-" par > "$work/par-$n.sh"
  python3 "$bench/stack.py" rm "$dir/docker-compose.yml" "${P}seq-" > "$work/rm-seq-$n.sh"
  python3 "$bench/stack.py" rm "$dir/docker-compose.yml" "${P}par-" > "$work/rm-par-$n.sh"
  mkdir -p "$work/f8-$n"
  python3 "$bench/stack.py" fabric8 "$dir/docker-compose.yml" "${P}f8-" "$bench/fabric8/pom.xml" > "$work/f8-$n/pom.xml"
}

# ---------------------------------------------------------------------------------------------- 3. builds
# cold: both images of the project removed and built on base images of a new id (fresh_bases), so nothing
# is reused from Docker's build cache; the base images themselves, the confd binary and the local Maven
# repository are there (the machine's setup, not the project's build); Maven offline.
mkdir -p "$work/f8-build"
python3 "$bench/stack.py" fabric8-build "$bench/fabric8/pom.xml" "${P}f8b-" \
  "$work/project/target/dlb/web" "$work/project/target/dlb/balancer" > "$work/f8-build/pom.xml"

build_dlb() { # KIND ROUND
  local kind="$1" t0 extra=()
  [[ "$kind" == replicas5 ]] && extra=(-Ddlb.web.replicas=5)
  if [[ "$kind" == cold ]]; then
    fresh_bases
    docker rmi "$web_image" "$balancer_image" >/dev/null 2>&1 || true
  fi
  t0="$(now)"
  step "build-dlb-$kind-$2" "${mvn_project[@]}" dlb:render-config dlb:build-images "${extra[@]}"
  record "build.dlb.$kind" "$(since "$t0")"
  local built
  built="$(grep -c '\] Built dlb/' "$work/logs/build-dlb-$kind-$2.log" || true)"
  if [[ "$kind" == cold ]]; then
    ((built == 2)) || fail "the cold dlb build built $built images, not 2"
  else
    ((built == 0)) || fail "the $kind dlb build rebuilt $built images"
  fi
}
build_f8() { # KIND ROUND
  local kind="$1" t0
  if [[ "$kind" == cold ]]; then
    fresh_bases
    docker rmi "${P}f8b-web:latest" "${P}f8b-balancer:latest" >/dev/null 2>&1 || true
  fi
  # fabric8 has no replica count: for it, the third build is just the same build again
  t0="$(now)"
  step "build-f8-$kind-$2" "${mvn[@]}" -f "$work/f8-build/pom.xml" docker:build
  record "build.f8.$kind" "$(since "$t0")"
}

log "warming up: resolving fabric8's plugin, rendering the contexts"
fresh_bases
step render-contexts "${mvn_project[@]}" dlb:render-config
step f8-resolve "$repo/mvnw" -B "${mvn_args[@]}" -f "$work/f8-build/pom.xml" docker:build
for ((r = 0; r < rounds; r++)); do
  log "builds, round $((r + 1))/$rounds"
  order=(dlb f8)
  ((r % 2)) && order=(f8 dlb)
  for tool in "${order[@]}"; do
    for kind in cold unchanged replicas5; do "build_$tool" "$kind" "$r"; done
  done
done
# the stack's images are dlb's last build's (fabric8 built tags of its own)

# ---------------------------------------------------------------------------------------------- 1 + 2. up and down
ready() { # PORT N
  [[ "$1" =~ ^[0-9]+$ ]] || fail "no published port found for the balancer (got '$1')"
  python3 "$bench/ready.py" "$1" "$2" "$READY_TIMEOUT" >/dev/null || fail "the stack did not answer from all $2 replicas"
}
port_of() { # HOST:PORT lines -> PORT
  head -n 1 | sed 's/.*://'
}
# the goals' debug trace (dlb's loggers only): every engine call with its time, for the profile (scripts/bench/profile.py)
trace=(-Dorg.slf4j.simpleLogger.log.dev.dlb=debug)
up_dlb() {
  step "start-dlb-$1-$2" "${mvn_project[@]}" "${trace[@]}" dlb:start -Ddlb.web.replicas="$1"
  ready "$(sed -n 's/^dlb\.balancer\.port=//p' "$work/project/target/dlb/balancer.properties")" "$1"
}
down_dlb() { step "stop-dlb-$1-$2" "${mvn_project[@]}" "${trace[@]}" dlb:stop; }
up_f8() {
  step "start-f8-$1-$2" "${mvn[@]}" -f "$work/f8-$1/pom.xml" docker:start
  ready "$(docker port "${P}f8-balancer" 80 | port_of)" "$1"
}
down_f8() { step "stop-f8-$1-$2" "${mvn[@]}" -f "$work/f8-$1/pom.xml" docker:stop docker:volume-remove; }
up_compose() {
  step "start-compose-$1-$2" docker-compose -p "${P}compose" -f "$work/render-$1/docker-compose.yml" up -d
  ready "$(compose "$1" port balancer 80 | port_of)" "$1"
}
down_compose() { step "stop-compose-$1-$2" docker-compose -p "${P}compose" -f "$work/render-$1/docker-compose.yml" down -v; }
up_seq() {
  step "start-seq-$1-$2" bash "$work/seq-$1.sh"
  ready "$(docker port "${P}seq-balancer" 80 | port_of)" "$1"
}
up_par() {
  step "start-par-$1-$2" bash "$work/par-$1.sh"
  ready "$(docker port "${P}par-balancer" 80 | port_of)" "$1"
}
down_par() { step "stop-par-$1-$2" bash "$work/rm-par-$1.sh"; }
nth_goal_ms() { # LOG PATTERN K: the "in N ms" of the K-th line matching PATTERN, in seconds
  local ms
  ms="$(grep -E "$2" "$1" | sed -n "$3"'s/.* in \([0-9][0-9]*\) ms$/\1/p')"
  [[ -n "$ms" ]] || fail "no ' in N ms' in line $3 matching '$2' of $(basename "$1")"
  awk -v ms="$ms" 'BEGIN { printf "%.3f", ms / 1000 }'
}
goal_ms() { nth_goal_ms "$1" "$2" '$'; } # the last such line
cpu_file() { # CONTAINER: its cgroup's CPU account (cgroup v2's cpu.stat, or v1's cpuacct.usage)
  local pid path root
  pid="$(docker inspect -f '{{.State.Pid}}' "$1")"
  path="$(sed -n 's/^0:://p' "/proc/$pid/cgroup")"
  for root in /sys/fs/cgroup /sys/fs/cgroup/unified; do
    [[ -n "$path" && -r "$root$path/cpu.stat" ]] && { echo "$root$path/cpu.stat"; return; }
  done
  path="$(sed -n 's/^[0-9]*:[^:]*cpuacct[^:]*://p' "/proc/$pid/cgroup")"
  for root in /sys/fs/cgroup/cpuacct /sys/fs/cgroup/cpu,cpuacct; do
    [[ -n "$path" && -r "$root$path/cpuacct.usage" ]] && { echo "$root$path/cpuacct.usage"; return; }
  done
  fail "found no cgroup CPU account of container $1 (pid $pid)"
}
cpu_us() { # FILE...: the CPU time these accounts say was used so far, in all, microseconds
  local f
  for f; do
    case "$f" in
      *cpu.stat) awk '$1 == "usage_usec" { print $2 }' "$f" ;;
      *) awk '{ printf "%d\n", $1 / 1000 }' "$f" ;;
    esac
  done | awk '{ s += $1 } END { print s }'
}
stack_cpu_files() { # ROLE: the cgroup CPU accounts of the dlb stack's containers of that role, one a line
  local id ids
  ids=($(docker container ls -q --filter "label=dev.dlb.project=$project" --filter "label=dev.dlb.role=$1"))
  ((${#ids[@]} > 0)) || fail "no $1 container of the dlb stack"
  for id in "${ids[@]}"; do cpu_file "$id"; done
}
rest_cpu() { # N: the dlb stack's CPU at rest over REST_SECONDS from just after it answered, % of one core: its balancer's, a replica's
  local balancer=($(stack_cpu_files balancer)) web=($(stack_cpu_files web)) b0 w0 t0 b1 w1 elapsed
  ((${#balancer[@]} == 1 && ${#web[@]} == $1)) || fail "found the CPU accounts of ${#balancer[@]} balancers and ${#web[@]} replicas, not 1 and $1"
  b0="$(cpu_us "${balancer[@]}")"
  w0="$(cpu_us "${web[@]}")"
  t0="$(now)"
  sleep "$REST_SECONDS"
  b1="$(cpu_us "${balancer[@]}")"
  w1="$(cpu_us "${web[@]}")"
  elapsed="$(since "$t0")"
  record "rest.cpu.balancer.$1" "$(awk -v us=$((b1 - b0)) -v s="$elapsed" 'BEGIN { printf "%.2f", us / s / 10000 }')"
  record "rest.cpu.web.$1" "$(awk -v us=$((w1 - w0)) -v n="${#web[@]}" -v s="$elapsed" 'BEGIN { printf "%.3f", us / n / s / 10000 }')"
}
leave_nothing() { # WAY: one way's stack at a time, so nothing at all may be left after its teardown
  local left
  left="$(leftovers)"
  [[ -z "$left" ]] || fail "after the $1 teardown, left:" $left
}

for n in "${sizes[@]}"; do render "$n"; done
for ((r = 0; r < rounds; r++)); do
  ways=(dlb f8 compose seq par)
  ((r % 2)) && ways=(par seq compose f8 dlb)
  order=("${sizes[@]}")
  ((r % 2)) && order=($(printf '%s\n' "${sizes[@]}" | tac))
  for n in "${order[@]}"; do
    log "up and down at $n replicas, round $((r + 1))/$rounds: ${ways[*]}"
    for way in "${ways[@]}"; do
      t0="$(now)"
      "up_$way" "$n" "$r"
      record "up.$way.$n" "$(since "$t0")"
      [[ "$way" != dlb ]] || rest_cpu "$n"
      t0="$(now)"
      if [[ "$way" == seq ]]; then
        step "stop-seq-$n-$r" bash "$work/rm-seq-$n.sh" # removed as the floor removes, not measured
      else
        "down_$way" "$n" "$r"
        record "down.$way.$n" "$(since "$t0")"
      fi
      leave_nothing "$way"
    done
    # at the first size, the goals in one Maven process, as the lifecycle runs them: the stop after its start (as in
    # mvn verify), and a second start that finds docker-java's classes loaded; what separates these from the goals'
    # rows above is the cold JVM. One size only: at 20 replicas, back to back in a warm JVM, Docker 20.10 once kept a
    # network with no container as "has active endpoints" (moby/moby#42119), which only an engine restart clears
    if [[ "$n" == "${sizes[0]}" ]]; then
      step "inprocess-dlb-$n-$r" "${mvn_project[@]}" dlb:start dlb:stop dlb:start dlb:stop -Ddlb.web.replicas="$n"
      leave_nothing "dlb (start and stop twice in one process)"
      inprocess="$work/logs/inprocess-dlb-$n-$r.log"
      record "goal.stop.lifecycle.$n" "$(nth_goal_ms "$inprocess" 'dlb: removed [0-9]+ resources' 1)"
      record "goal.start.again.$n" "$(nth_goal_ms "$inprocess" 'dlb: [0-9]+ replicas answering through' 2)"
      record "first.answer.$n" "$(first_answer)"
    fi
    record "goal.start.$n" "$(goal_ms "$work/logs/start-dlb-$n-$r.log" 'dlb: [0-9]+ replicas answering through')"
    record "goal.stop.$n" "$(goal_ms "$work/logs/stop-dlb-$n-$r.log" 'dlb: removed [0-9]+ resources')"
    for goal in start stop; do
      python3 "$bench/profile.py" "$work/logs/$goal-dlb-$n-$r.log" "$goal" > "$work/profile" || fail "no profile of dlb:$goal"
      while read -r phase seconds; do record "profile.$goal.$phase.$n" "$seconds"; done < "$work/profile"
    done
  done
done

# ---------------------------------------------------------------------------------------------- 4 + 5. serving, memory
log "serving: our balancer, the original project's nginx and one replica, $serve_replicas replicas, wrk -c32 -d${duration}s"
render "$serve_replicas"
step serve-start "${mvn_project[@]}" dlb:start -Ddlb.web.replicas="$serve_replicas"
session="$(sed -n 's/^session=//p' "$work/project/target/dlb/session.properties")"
balancer_port="$(sed -n 's/^dlb\.balancer\.port=//p' "$work/project/target/dlb/balancer.properties")"
ready "$balancer_port" "$serve_replicas"
front_net="" web_net=""
for net in $(docker network ls -q --filter "label=dev.dlb.project=$project" --filter "label=dev.dlb.session=$session"); do
  if [[ "$(docker network inspect -f '{{.Internal}}' "$net")" == true ]]; then web_net="$net"; else front_net="$net"; fi
done
[[ -n "$front_net" && -n "$web_net" ]] || fail "could not find the two networks of session $session"

servers=""
for ((i = 1; i <= serve_replicas; i++)); do servers+="server web-$i; "; done
sed "s/UPSTREAM_SERVERS/$servers/" "$bench/nginx-original.conf" > "$work/nginx-original.conf"
step original-create docker create --name "${P}original" --network "$front_net" -p 127.0.0.1::80 \
  -v "$work/nginx-original.conf:/etc/nginx/nginx.conf:ro" "$nginx_base" nginx -g 'daemon off;'
step original-connect docker network connect "$web_net" "${P}original"
step original-start docker start "${P}original"
original_port="$(docker port "${P}original" 80 | port_of)"
ready "$original_port" "$serve_replicas"
step direct-start bash -c "$(python3 "$bench/stack.py" one "$work/render-$serve_replicas/docker-compose.yml" "${P}direct-" web-1 "$front_net")"
direct_port="$(docker port "${P}direct-web-1" 80 | port_of)"
ready "$direct_port" 1

wrk_run() { # TARGET PORT SECONDS ROUND
  local out="$work/logs/wrk-$1-$4.log"
  timeout $(($3 + 60)) wrk -t2 -c32 -d"$3"s --latency "http://127.0.0.1:$2/" > "$out" 2>&1 || { cat "$out" >&2; fail "wrk against $1 failed"; }
  if grep -q 'Non-2xx\|Socket errors' "$out"; then
    cat "$out" >&2
    fail "wrk against $1 saw errors"
  fi
  python3 - "$out" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M).groups()
print(rps, float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit])
EOF
}
mem_mib() { # CONTAINER...: memory in use of each, MiB, one a line
  docker stats --no-stream --format '{{.MemUsage}}' "$@" | awk '{
    v = $1; u = v; sub(/[0-9.]+/, "", u); sub(/[A-Za-z]+$/, "", v)
    f = (u == "GiB") ? 1024 : (u == "MiB") ? 1 : (u == "KiB") ? 1 / 1024 : (u == "kB") ? 1 / 1024 : 1 / 1048576
    printf "%.2f\n", v * f }'
}
replicas=($(docker container ls -q --filter "label=dev.dlb.project=$project" --filter "label=dev.dlb.session=$session" --filter "label=dev.dlb.role=web"))
balancer=($(docker container ls -q --filter "label=dev.dlb.project=$project" --filter "label=dev.dlb.session=$session" --filter "label=dev.dlb.role=balancer"))
((${#replicas[@]} == serve_replicas && ${#balancer[@]} == 1)) || fail "found ${#replicas[@]} replicas and ${#balancer[@]} balancers of session $session"
declare -A ports=([balancer]="$balancer_port" [original]="$original_port" [direct]="$direct_port")
for target in balancer original direct; do wrk_run "$target" "${ports[$target]}" 1 warmup >/dev/null; done
for ((r = 0; r < rounds; r++)); do
  targets=(balancer original direct)
  ((r % 2)) && targets=(direct original balancer)
  for target in "${targets[@]}"; do
    read -r rps p99 < <(wrk_run "$target" "${ports[$target]}" "$duration" "$r")
    record "serve.rps.$target" "$rps"
    record "serve.p99.$target" "$p99"
  done
  record mem.replica "$(mem_mib "${replicas[@]}" | awk '{ s += $1 } END { printf "%.2f", s / NR }')"
  record mem.balancer "$(mem_mib "${balancer[0]}")"
  record mem.original "$(mem_mib "${P}original")"
  record mem.direct "$(mem_mib "${P}direct-web-1")"
done
step serve-rm docker rm -f "${P}original" "${P}direct-web-1"
step serve-rm-volume docker volume rm "${P}direct-web-data"
step serve-stop "${mvn_project[@]}" dlb:stop
leave_nothing serving

# ---------------------------------------------------------------------------------------------- the table
echo
echo "dlb-maven-plugin benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -sr), Docker $(docker version -f '{{.Server.Version}}'), $(docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /'); medians of $rounds round(s); $(if ((smoke)); then echo smoke mode; else echo full mode; fi); took $((SECONDS - t_begin)) s"
echo
python3 "$bench/table.py" "$results" "${sizes[@]}"
