package dev.dlb.core.spec;

/**
 * The balancer's active health check (dlb-watch.sh, inside the balancer): every {@code interval} it asks
 * each replica's health page directly; {@code failures} failed probes in a row take a replica out of the
 * rotation and one answer brings it back. Durations as nginx writes them; checked by {@link SpecValidator}.
 */
public record HealthCheck(boolean enabled, String interval, String timeout, int failures) {

    public static final HealthCheck DEFAULTS = new HealthCheck(true, "1s", "2s", 2);
}
