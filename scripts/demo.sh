#!/usr/bin/env bash
# The main job: bring the example project's stack up (3 httpd replicas parametrised by confd at
# start, behind nginx), show the replicas answering in turn through the balancer, then remove it.
# KEEP=1 leaves the stack running (remove it later with: ./mvnw -pl example-project dlb:stop).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/env/prepare.sh
echo "== building the plugin and the example project's images"
./mvnw -B -q install -DskipTests -Dinvoker.skip=true

stop() { ./mvnw -B -q -pl example-project dlb:stop; }
[[ "${KEEP:-0}" == 1 ]] || trap stop EXIT

echo "== starting the stack"
./mvnw -B -pl example-project dlb:start | grep -E 'dlb:|Started|Waiting' || true
url="$(sed -n 's/^dlb\.balancer\.url=//p' example-project/target/dlb/balancer.properties | sed 's/\\:/:/g')"
[[ -n "$url" ]] || { echo "the stack did not come up" >&2; exit 1; }

echo "== six requests to the balancer at $url"
for i in 1 2 3 4 5 6; do
  response="$(curl -fsS -D - "$url" --max-time 5)"
  replica="$(printf '%s' "$response" | tr -d '\r' | sed -n 's/^X-Dlb-Replica: //Ip')"
  page="$(printf '%s' "$response" | sed -n 's:.*<h1>\(.*\)</h1>.*:\1:p')"
  echo "request $i -> $replica: $page"
done
echo "== docker ps"
docker ps --filter label=dev.dlb.project=dev.dlb:example-project --format 'table {{.Names}}\t{{.Status}}\t{{.Ports}}'
