#!/usr/bin/env python3
"""table.py RESULTS SIZES...: the benchmark's one markdown table from its raw figures.

RESULTS has one figure a line, "KEY VALUE", each key once per round; every cell is the median of its
key's figures, and each ratio divides two medians. Keys: up.WAY.N and down.WAY.N (seconds, N replicas),
goal.start.N and goal.stop.N (seconds, from the goals' own log lines; goal.start.again.N and goal.stop.lifecycle.N
the same goals run after another in one Maven process; first.answer.N docker-java's first answer in a fresh JVM),
build.TOOL.KIND (seconds),
serve.rps.TARGET, serve.p99.TARGET (ms), mem.WHAT (MiB), rest.cpu.ROLE.N (% of one core), profile.GOAL.PHASE.N (seconds, scripts/bench/profile.py). Exits 1 if a figure the table needs is missing."""
import statistics
import sys
from collections import defaultdict

figures = defaultdict(list)
with open(sys.argv[1]) as f:
    for line in f:
        if line.strip():
            key, value = line.split()
            figures[key].append(float(value))
sizes = sys.argv[2:]
missing = []


def med(key):
    if not figures.get(key):
        missing.append(key)
        return None
    return statistics.median(figures[key])


def fmt(value, unit):
    if value is None:
        return "n/a"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "%":
        return f"{value:.2f} %"
    if unit == "req/s":
        return f"{value:,.0f} req/s"
    return f"{value:.1f} {unit}"


def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}×"


rows = []


def sized(label, key, unit, peer_key=None, ratio_is="", first_size_only=False):
    """A row with one figure per stack size (or the first size only); its ratio is our figure (peer_key) over this
    row's, or this row's over peer_key's when ratio_is starts with 'this ÷'."""
    cells = []
    for n in sizes:
        if first_size_only and n != sizes[0]:
            cells += ["", ""]
            continue
        value = med(key.format(n=n))
        cells.append(fmt(value, unit))
        if peer_key is None:
            cells.append("")
        elif ratio_is.startswith("this ÷"):
            cells.append(ratio(value, med(peer_key.format(n=n))))
        else:
            cells.append(ratio(med(peer_key.format(n=n)), value))
    rows.append((label, cells, ratio_is))


def lower_bound(label, warm_key, peer_key, ratio_is):
    """The goal's own work in a warm JVM plus a fresh JVM's first answer from docker-java, at the first size: the
    least that goal can take in a fresh JVM, its docker-java costs paid one after the other."""
    n = sizes[0]
    warm, first = med(warm_key.format(n=n)), med(f"first.answer.{n}")
    value = None if warm is None or first is None else warm + first
    rows.append((label, [fmt(value, "s"), ratio(value, med(peer_key.format(n=n)))] + ["", ""] * (len(sizes) - 1), ratio_is))


def single(label, key, unit, peer_key=None, ratio_is=""):
    """A row with one figure; its ratio is our figure (peer_key) over this row's."""
    value = med(key)
    r = ""
    if peer_key is not None:
        r = ratio(med(peer_key), value)
    rows.append((label, [fmt(value, unit), r] + ["", ""] * (len(sizes) - 1), ratio_is))


up = "up.dlb.{n}"
sized("**1. up to ready**: `mvn dlb:start` (whole Maven process, then polling)", up, "s")
sized("fabric8 0.46.0 `docker:start`, parallel (whole Maven process), then polling", "up.f8.{n}", "s", up, "dlb:start ÷ this (target < 1)")
sized("`docker-compose up -d` of target/dlb/docker-compose.yml, then polling", "up.compose.{n}", "s", up, "dlb:start ÷ this (target ≤ 1.2 at 3, ≤ 1.0 at 20)")
sized("sequential `docker run` script (the original project's way), then polling", "up.seq.{n}", "s", up, "dlb:start ÷ this")
sized("engine floor: the same `docker run`s in parallel, then polling", "up.par.{n}", "s", up, "dlb:start ÷ this")
sized("start goal's own time (its log line)", "goal.start.{n}", "s", "up.par.{n}", "this ÷ engine floor (target ≤ 1.2)")
sized("start goal's own time, started again in the same Maven process (docker-java's classes loaded)", "goal.start.again.{n}", "s",
      "up.par.{n}", "this ÷ engine floor", first_size_only=True)
sized("docker-java's first answer in a fresh JVM (scripts/bench/FirstAnswer.java: from main() to a container listing)",
      "first.answer.{n}", "s", first_size_only=True)
lower_bound("the least a cold start goal on docker-java can take: started again + that first answer", "goal.start.again.{n}",
            "up.par.{n}", "this ÷ engine floor")
down = "down.dlb.{n}"
sized("**2. teardown**: `mvn dlb:stop` (whole Maven process)", down, "s")
sized("fabric8 `docker:stop docker:volume-remove` (whole Maven process)", "down.f8.{n}", "s", down, "dlb:stop ÷ this")
sized("`docker-compose down -v`", "down.compose.{n}", "s", down, "dlb:stop ÷ this (target ≤ 1.0)")
sized("parallel `docker rm -f`, then `docker network rm`, `docker volume rm`", "down.par.{n}", "s", down, "dlb:stop ÷ this")
sized("stop goal's own time (its log line)", "goal.stop.{n}", "s", "down.par.{n}", "this ÷ parallel docker rm -f (target ≤ 1.5)")
sized("stop goal's own time after start in the same Maven process, as in `mvn verify`", "goal.stop.lifecycle.{n}", "s",
      "down.par.{n}", "this ÷ parallel docker rm -f", first_size_only=True)
lower_bound("the least a cold stop goal on docker-java can take: after start in one process + that first answer",
            "goal.stop.lifecycle.{n}", "down.par.{n}", "this ÷ parallel docker rm -f")
for kind, words in (("cold", "cold"), ("unchanged", "nothing changed"), ("replicas5", "after `-Ddlb.web.replicas=5`")):
    ours = f"build.dlb.{kind}"
    sized_label = "**3. builds**, " if kind == "cold" else ""
    single(f"{sized_label}{words}: `mvn dlb:render-config dlb:build-images`", ours, "s")
    again = " (it has no replica count: the same build again)" if kind == "replicas5" else ""
    single(f"{words}: fabric8 `mvn docker:build` of the same contexts{again}", f"build.f8.{kind}", "s", ours, "dlb ÷ this")
single("**4. serving**, 32 connections: through our balancer", "serve.rps.balancer", "req/s")
single("through nginx configured as the original project's", "serve.rps.original", "req/s", "serve.rps.balancer",
       "ours ÷ this (target ≥ 1.5)")
single("one replica reached directly", "serve.rps.direct", "req/s", "serve.rps.balancer",
       "ours ÷ this (target ≥ 0.6)")
single("p99 latency through our balancer", "serve.p99.balancer", "ms")
single("p99 through the original project's nginx", "serve.p99.original", "ms", "serve.p99.balancer", "ours ÷ this")
single("p99 straight to one replica", "serve.p99.direct", "ms", "serve.p99.balancer", "ours ÷ this")
single("**5. memory** per replica (mean over the replicas, after the load)", "mem.replica", "MiB")
single("a replica reached directly (after the load)", "mem.direct", "MiB", "mem.replica", "ours ÷ this")
single("our balancer (after the load)", "mem.balancer", "MiB")
single("the original project's nginx (after the load)", "mem.original", "MiB", "mem.balancer", "ours ÷ this")
sized("**CPU at rest**, of one core, over 3 s once the stack answered: our balancer (its watcher probes each replica every second)",
      "rest.cpu.balancer.{n}", "%")
sized("a replica (mean over the replicas)", "rest.cpu.web.{n}", "%")

header = ["measure"]
for n in sizes:
    header += [f"{n} replicas", "ratio"]
header.append("ratio is")
print("| " + " | ".join(header) + " |")
print("|" + "---|" * len(header))
for label, cells, ratio_is in rows:
    print("| " + " | ".join([label] + cells + [ratio_is]) + " |")
# Where the goals' time goes: the phases of scripts/bench/profile.py, each a median over the rounds.
phases = {
    "start": [("jvm", "JVM, Maven and the plugin's setup, before the goal's first line"),
              ("setup", "configuration, engine discovery, docker-java's clients"),
              ("checks", "ping, images, names, the project's earlier resources"),
              ("networks", "networks and volumes, at once"),
              ("containers", "containers created and started, at once (the engine's work)"),
              ("ready", "the balancer's port, then every replica answering through it")],
    "stop": [("jvm", "JVM, Maven and the plugin's setup, before the goal's first line"),
             ("setup", "engine discovery, docker-java's clients"),
             ("listing", "ping, the project's resources"),
             ("containers", "containers stopped (SIGTERM, then kill) and removed, at once"),
             ("networks", "networks and volumes removed, at once")],
}
print()
print("Where `mvn dlb:start` and `mvn dlb:stop` spend their time (medians of each phase, from the goals' debug trace):")
print()
header = ["goal", "phase"] + [f"{n} replicas" for n in sizes]
print("| " + " | ".join(header) + " |")
print("|" + "---|" * len(header))
for goal, steps in phases.items():
    for phase, words in steps:
        print("| " + " | ".join([f"dlb:{goal}", words] + [fmt(med(f"profile.{goal}.{phase}.{n}"), "s") for n in sizes]) + " |")
if missing:
    sys.exit("table.py: no figures for " + ", ".join(sorted(set(missing))))
