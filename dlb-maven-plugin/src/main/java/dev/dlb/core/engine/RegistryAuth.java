package dev.dlb.core.engine;

/** Credentials for one registry, as docker login takes them. {@link #toString()} hides the password. */
public record RegistryAuth(String registry, String username, String password) {

    @Override
    public String toString() {
        return username + "@" + registry;
    }
}
