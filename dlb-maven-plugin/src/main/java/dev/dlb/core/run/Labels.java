package dev.dlb.core.run;

import java.util.LinkedHashMap;
import java.util.Map;

/** The labels on everything a stack creates: how stop, a later start or the watchdog find it again. */
public final class Labels {

    public static final String PROJECT = "dev.dlb.project";
    public static final String SESSION = "dev.dlb.session";
    public static final String ROLE = "dev.dlb.role";
    /** The build process that owns the session ({@link Owner#label()}), or "unattended". */
    public static final String OWNER = "dev.dlb.owner";
    /** The file the owner keeps locked while it lives ({@link FileId#label()}). */
    public static final String OWNER_LOCK = "dev.dlb.owner.lock";
    /** The project directory the session was started from ({@link FileId#label()}). */
    public static final String CHECKOUT = "dev.dlb.checkout";
    public static final String KEEP = "dev.dlb.keep";

    private Labels() {
    }

    public static Map<String, String> project(String projectId) {
        return Map.of(PROJECT, projectId);
    }

    public static Map<String, String> session(String projectId, String session) {
        return Map.of(PROJECT, projectId, SESSION, session);
    }

    public static Map<String, String> of(String projectId, String session, String role, Ownership ownership) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(PROJECT, projectId);
        labels.put(SESSION, session);
        labels.put(ROLE, role);
        labels.putAll(ownership.labels());
        return labels;
    }
}
