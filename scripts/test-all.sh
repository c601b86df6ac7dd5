#!/usr/bin/env bash
# Every test: unit and harness tests, the invoker ITs and the example project's failsafe ITs (all
# against a real engine, real containers and real confd), two checkouts of the example verified at
# once (scripts/it/concurrent-checkouts.sh), then a second example run that changes a value and the
# replica count and must rebuild no image, then the benchmark in its smoke mode (scripts/bench.sh --smoke:
# every peer and every row of its table once). Fails if anything of dlb is left behind, in Docker or in Podman.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/env/prepare.sh
bash scripts/check-no-leaks.sh
DOCKER_HOST=unix:///run/podman/podman.sock bash scripts/check-no-leaks.sh

echo "== unit, harness, invoker and example ITs"
./mvnw -B install

echo "== two checkouts of the example verified at once; a third checkout's dlb:stop must remove nothing"
bash scripts/it/concurrent-checkouts.sh

echo "== example again: -Dgreeting=bonjour -Ddlb.web.replicas=5 must reuse both images"
./mvnw -B -pl example-project verify -Dgreeting=bonjour -Ddlb.web.replicas=5 -Dexample.expectNoRebuild=true

echo "== the benchmark's smoke mode: every peer and every row of its table once (the plugin is installed above)"
BENCH_SKIP_INSTALL=1 bash scripts/bench.sh --smoke

bash scripts/check-no-leaks.sh
DOCKER_HOST=unix:///run/podman/podman.sock bash scripts/check-no-leaks.sh
