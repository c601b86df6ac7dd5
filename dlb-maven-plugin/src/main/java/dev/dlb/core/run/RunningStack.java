package dev.dlb.core.run;

import java.util.List;

/** A stack that answered through its balancer: where to reach it and what it consists of. */
public record RunningStack(String session, String balancerUrl, int balancerPort, List<String> replicas) {
}
