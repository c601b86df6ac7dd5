#!/usr/bin/env python3
"""profile.py LOG start|stop: where a goal's time went, from its debug trace (EngineTrace's lines, the goal run with
-Dorg.slf4j.simpleLogger.log.dev.dlb=debug); prints "PHASE SECONDS" lines, in order, that add up to the JVM's time
before the goal plus the goal's own time. Exits 1 if the log holds no trace."""
import re
import sys

text = open(sys.argv[1]).read()
goal = sys.argv[2]
jvm = re.search(r"dlb: trace the JVM ran (\d+) ms before this goal", text)
end = re.findall(r"dlb: .* in (\d+) ms$", text, re.M)
# (begin, call, took); a removal is named by what it removes: remove:container, remove:network, remove:volume
calls = [(int(b), name + (":" + subject.split()[0] if name == "remove" and subject else ""), int(took))
         for b, name, subject, took in re.findall(r"dlb: trace \+(\d+) ms (\w+)\((.*?)\) took (\d+) ms", text)]
if not jvm or not end or not calls:
    sys.exit(f"profile.py: no trace of the {goal} goal in {sys.argv[1]}")
end = int(end[-1])


def first(*names):
    return min(b for b, n, _ in calls if n in names)


def last_end(*names):
    return max(b + t for b, n, t in calls if n in names)


marks = [("jvm", 0)]
connected = last_end("connect")
if goal == "start":
    phases = [("setup", connected), ("checks", first("createNetwork", "createVolume")),
              ("networks", first("createContainer")), ("containers", last_end("startContainer")), ("ready", end)]
else:
    phases = [("setup", connected), ("listing", first("stopContainer", "remove:container")),
              ("containers", last_end("stopContainer", "remove:container")), ("networks", end)]
print("jvm", f"{int(jvm.group(1)) / 1000:.3f}")
previous = 0
for name, at in phases:
    print(name, f"{max(at - previous, 0) / 1000:.3f}")
    previous = max(at, previous)
