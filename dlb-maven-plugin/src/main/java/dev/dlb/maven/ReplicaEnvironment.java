package dev.dlb.maven;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code <replicaEnvironment>}: values for the replica numbered {@code replica} (from 1). Described for
 * users in {@link AbstractDlbMojo#web}.
 */
public class ReplicaEnvironment {

    /** The replica's number, from 1. @since 0.1.0 */
    int replica;

    /** Its values, over the stack-wide {@code <web><environment>}. @since 0.1.0 */
    Map<String, String> environment = new LinkedHashMap<>();
}
