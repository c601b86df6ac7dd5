#!/usr/bin/env python3
"""ready.py PORT REPLICAS TIMEOUT_S: asks http://127.0.0.1:PORT/ (a new connection each time) until every one
of REPLICAS replicas has answered 200 through the balancer, told by the X-Dlb-Replica header. Bounded by
TIMEOUT_S and by a request count. Prints the seconds it took; exits 1 with what it saw when it runs out."""
import http.client
import sys
import time

port, replicas, timeout = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
t0 = time.monotonic()
seen, attempts, last = set(), 0, ""
while len(seen) < replicas and time.monotonic() - t0 < timeout and attempts < 100_000:
    attempts += 1
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", "/", headers={"Connection": "close"})
        response = conn.getresponse()
        response.read()
        replica = response.getheader("X-Dlb-Replica")
        if response.status == 200 and replica:
            seen.add(replica)
            continue
        last = f"HTTP {response.status}"
    except (OSError, http.client.HTTPException) as e:
        last = repr(e)
    finally:
        conn.close()
    time.sleep(0.02)
if len(seen) < replicas:
    sys.exit(f"ready.py: {len(seen)} of {replicas} replicas answered on 127.0.0.1:{port} within {timeout} s "
             f"({attempts} requests; seen {sorted(seen)}; last failure {last})")
print(f"{time.monotonic() - t0:.3f}")
