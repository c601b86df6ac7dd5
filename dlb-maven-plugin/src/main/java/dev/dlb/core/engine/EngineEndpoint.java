package dev.dlb.core.engine;

import dev.dlb.core.spec.Reach;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The engine to talk to, as {@link EngineDiscovery} found it.
 *
 * @param host {@code unix:///path}, {@code tcp://host:port} or {@code npipe://...}
 * @param tls how to speak TLS to a TCP engine; empty for plain HTTP and for sockets
 * @param why where the address came from, for the log and for every message that names the engine
 */
public record EngineEndpoint(URI host, Optional<Tls> tls, String why) {

    /**
     * @param directory where {@code ca.pem}, {@code cert.pem} and {@code key.pem} are; those missing are not used,
     *                  as the docker CLI does (no ca.pem: the JDK's trusted authorities; no cert.pem or key.pem: no client certificate)
     * @param verify whether the engine's certificate chain is verified
     */
    public record Tls(Path directory, boolean verify) {

        @Override
        public String toString() {
            return "TLS, " + (verify ? "verifying the engine's certificate" : "not verifying the engine's certificate")
                    + ", files from " + directory;
        }
    }

    /** Reached over TCP, the engine may run on another machine, or in a container: its loopback is not the build's. */
    public boolean remote() {
        return "tcp".equals(host.getScheme());
    }

    /** The engine's host name or address as its address names it, IPv6 without brackets; empty for a socket. */
    public Optional<String> hostName() {
        return Optional.ofNullable(host.getHost()).filter(h -> remote()).map(h -> h.replaceAll("^\\[|]$", ""));
    }

    /**
     * Where the balancer is published when no bind address is given: this machine's loopback for an engine on this
     * machine; every address of an engine reached over TCP, whose loopback the build cannot reach.
     */
    public String defaultBindAddress() {
        return remote() ? "0.0.0.0" : "127.0.0.1";
    }

    /**
     * How the build reaches a balancer that this engine publishes on {@code bindAddress}: at {@code host} when given;
     * else, for a TCP engine, at its bind address, or at the engine's own host when it is bound to every address.
     */
    public Reach reach(String bindAddress, Optional<String> host) {
        if (!remote()) {
            return host.map(h -> new Reach(h, true)).orElseGet(() -> Reach.local(bindAddress));
        }
        return new Reach(host.orElseGet(() -> Reach.everyAddress(bindAddress) ? hostName().orElseThrow() : bindAddress), false);
    }

    /** As the log and messages name it: {@code tcp://h:2375 (environment variable DOCKER_HOST=tcp://h:2375)}. */
    public String describe() {
        return host + " (" + why + tls.map(t -> "; " + t).orElse("") + ")";
    }
}
