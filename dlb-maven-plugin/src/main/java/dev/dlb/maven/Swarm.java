package dev.dlb.maven;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code <swarm>} block: how the stack runs as Docker Swarm services (target/dlb/docker-stack.yml and
 * the deploy goal). Described for users in {@link AbstractDlbMojo#swarm}.
 */
public class Swarm {

    /** Placement constraints of the web tasks, one {@code <constraint>} each, e.g. {@code node.labels.tier==web}. @since 0.3.0 */
    List<String> placement = new ArrayList<>();

    /** Placement constraints of the balancer's task, whose port is published on its node. @since 0.3.0 */
    List<String> balancerPlacement;

    /** Web tasks replaced at once by a rolling update. @since 0.3.0 */
    Integer updateParallelism;

    /** Pause between two batches of a rolling update, e.g. {@code 1s}. @since 0.3.0 */
    String updateDelay;

    /** {@code start-first} or {@code stop-first}. @since 0.3.0 */
    String updateOrder;

    /** Driver of the data volumes: {@code local} (one per node) or a driver shared by the nodes. @since 0.3.0 */
    String volumeDriver;
}
