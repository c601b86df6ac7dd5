package dev.dlb.core.spec;

import java.util.List;

/**
 * How the stack runs as Docker Swarm services (the stack file, and the deploy goal): where tasks may run
 * and how an update rolls. Replicas and resource limits are those of {@code <web>} and {@code <balancer>}.
 *
 * @param placement constraints on the web tasks' nodes, as {@code docker service create --constraint} takes them
 * @param balancerPlacement constraints on the balancer's node: its port is published on that node (mode host)
 * @param updateParallelism web tasks replaced at once by a rolling update
 * @param updateDelay pause between two batches of a rolling update, as nginx writes durations
 * @param updateOrder {@code start-first} (the new task is healthy before the old one stops) or {@code stop-first}
 * @param volumeDriver driver of the data volumes: {@code local} is one volume per node; a shared driver, one for the swarm
 */
public record SwarmSpec(List<String> placement, List<String> balancerPlacement, int updateParallelism, String updateDelay,
                        String updateOrder, String volumeDriver) {

    public static final String START_FIRST = "start-first";
    public static final String STOP_FIRST = "stop-first";
    public static final SwarmSpec DEFAULTS = new SwarmSpec(List.of(), List.of("node.role==manager"), 1, "1s", START_FIRST, "local");

    public SwarmSpec {
        placement = List.copyOf(placement);
        balancerPlacement = List.copyOf(balancerPlacement);
    }
}
