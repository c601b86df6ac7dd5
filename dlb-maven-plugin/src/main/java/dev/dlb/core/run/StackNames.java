package dev.dlb.core.run;

import dev.dlb.core.spec.StackSpec;
import dev.dlb.core.spec.Topology;

/** Docker names of one session's resources. Volumes are per project so that kept data outlives a session. */
public record StackNames(String stack, String session) {

    public static StackNames of(StackSpec spec, String session) {
        return new StackNames(spec.name(), session);
    }

    public String network() {
        return "dlb-" + stack + "-" + session;
    }

    /** The replicas' internal network, which the balancer joins too. */
    public String webNetwork() {
        return network() + "-web";
    }

    public String container(String role) {
        return network() + "-" + role;
    }

    public String replica(int n) {
        return container(Topology.replicaName(n));
    }

    public String webVolume() {
        return "dlb-" + stack + "-web-data";
    }

    public String balancerVolume() {
        return "dlb-" + stack + "-balancer-data";
    }
}
