package dev.dlb.core.engine;

import dev.dlb.core.engine.EngineEndpoint.Tls;
import dev.dlb.core.engine.EngineSettings.Setting;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Finds the engine as the docker CLI does: {@code DOCKER_HOST} (with {@code DOCKER_TLS_VERIFY} and
 * {@code DOCKER_CERT_PATH}) beats {@code DOCKER_CONTEXT}, which beats the current context of {@code config.json};
 * the {@code default} context, or none, means the default socket. Where the CLI would only assume
 * {@code /var/run/docker.sock}, the first socket that exists of Docker Desktop, rootless Docker, the default
 * and Podman is taken. Reads files only; asks no engine anything.
 */
public final class EngineDiscovery {

    static final String DEFAULT_SOCKET = "/var/run/docker.sock";
    private static final int DEFAULT_TCP_PORT = 2375;
    private static final int SOCKET_TYPE = 0140000;
    private static final int FILE_TYPE_BITS = 0170000;

    private record Candidate(Path socket, String what) {
    }

    private final Path root;
    private final OptionalInt uid;

    /**
     * @param root where this machine's file system is read from: {@code /}, or in tests a directory standing for it
     * @param uid the user whose rootless engine's socket is under {@code /run/user/UID}
     */
    public EngineDiscovery(Path root, OptionalInt uid) {
        this.root = root;
        this.uid = uid;
    }

    public static EngineDiscovery onThisMachine() {
        return new EngineDiscovery(Path.of("/"), currentUid());
    }

    /** @throws dev.dlb.core.spec.InvalidSpecException naming the setting, when it names an engine that cannot be used */
    public EngineEndpoint find(EngineSettings settings) {
        Optional<Setting> host = settings.setting("DOCKER_HOST");
        if (host.isPresent()) {
            return parse(host.get().value(), host.get().toString(), where(host.get()), environmentTls(settings));
        }
        ContextStore store = new ContextStore(configDirectory(settings), this::onDisk);
        Optional<Setting> named = settings.setting("DOCKER_CONTEXT");
        if (named.isPresent()) {
            return context(store, named.get().value(), "named by " + named.get(), where(named.get()), settings);
        }
        return store.currentContext()
                .map(name -> context(store, name, "the current context in " + store.configFile(), "currentContext in " + store.configFile(), settings))
                .orElseGet(() -> socket(settings, "DOCKER_HOST unset and no docker context"));
    }

    private EngineEndpoint context(ContextStore store, String name, String how, String where, EngineSettings settings) {
        if (name.equals("default")) {
            return socket(settings, "docker context default, " + how);
        }
        ContextStore.Context context = store.context(name, where);
        Optional<Tls> tls = context.hasTlsFiles() || context.skipTlsVerify()
                ? Optional.of(new Tls(context.tlsDirectory(), !context.skipTlsVerify())) : Optional.empty();
        return parse(context.host(), "docker context " + name + ", " + how + ", from " + context.metaFile(), where, tls);
    }

    /** The first engine socket that exists; the default socket when there is none. */
    private EngineEndpoint socket(EngineSettings settings, String why) {
        List<Candidate> candidates = candidates(settings);
        return candidates.stream().filter(c -> isSocket(c.socket())).findFirst()
                .map(c -> unix(c.socket(), why + ": " + c.what()))
                .orElseGet(() -> unix(Path.of(DEFAULT_SOCKET), why + ", and no engine socket found (looked for "
                        + String.join(", ", candidates.stream().map(c -> c.socket().toString()).toList()) + "): the default socket"));
    }

    private List<Candidate> candidates(EngineSettings settings) {
        List<Candidate> candidates = new ArrayList<>();
        settings.home().ifPresent(home -> {
            candidates.add(new Candidate(Path.of(home, ".docker", "run", "docker.sock"), "Docker Desktop's socket"));
            candidates.add(new Candidate(Path.of(home, ".docker", "desktop", "docker.sock"), "Docker Desktop's socket"));
        });
        settings.runtimeDirectory().ifPresent(dir -> candidates.add(new Candidate(Path.of(dir, "docker.sock"), "rootless Docker's socket")));
        uid.ifPresent(id -> candidates.add(new Candidate(Path.of("/run/user", Integer.toString(id), "docker.sock"), "rootless Docker's socket")));
        candidates.add(new Candidate(Path.of(DEFAULT_SOCKET), "the default socket"));
        settings.runtimeDirectory().ifPresent(dir -> candidates.add(new Candidate(Path.of(dir, "podman", "podman.sock"),
                "rootless Podman's socket")));
        candidates.add(new Candidate(Path.of("/run/podman/podman.sock"), "Podman's socket"));
        return candidates;
    }

    /** DOCKER_TLS_VERIFY set to anything turns TLS on, as in the docker CLI; the files are in DOCKER_CERT_PATH, else the config directory. */
    private Optional<Tls> environmentTls(EngineSettings settings) {
        return settings.value("DOCKER_TLS_VERIFY").map(on -> new Tls(settings.value("DOCKER_CERT_PATH").map(EngineDiscovery::absolute)
                .orElseGet(() -> configDirectory(settings)), true));
    }

    /** @param where the setting, for messages: {@code DOCKER_HOST (environment variable)} */
    private static EngineEndpoint parse(String address, String why, String where, Optional<Tls> tls) {
        URI uri;
        try {
            uri = URI.create(address.strip());
        } catch (IllegalArgumentException e) {
            throw unusable(where, address, "not an address (" + e.getMessage() + ")");
        }
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("");
        return switch (scheme) {
            case "unix" -> unix(Path.of(uri.getPath() == null || uri.getPath().isEmpty() ? DEFAULT_SOCKET : uri.getPath()), why);
            case "npipe" -> new EngineEndpoint(uri, Optional.empty(), why);
            case "tcp" -> tcp(uri, address, why, where, tls);
            case "ssh" -> throw ContextStore.invalid(where, address, "dlb reaches engines through docker-java, which cannot speak ssh",
                    "forward the engine's socket to a TCP port (ssh -NL 127.0.0.1:2375:/var/run/docker.sock USER@HOST), then set "
                            + "DOCKER_HOST=tcp://127.0.0.1:2375 and -Ddlb.balancer.host=HOST");
            default -> throw unusable(where, address, "not an engine address the docker CLI accepts");
        };
    }

    private static EngineEndpoint tcp(URI uri, String address, String why, String where, Optional<Tls> tls) {
        if (uri.getHost() == null) {
            throw unusable(where, address, "no host name in it (a name with '_' is none either)");
        }
        int port = uri.getPort() == -1 ? DEFAULT_TCP_PORT : uri.getPort();
        return new EngineEndpoint(URI.create("tcp://" + uri.getHost() + ":" + port), tls, why);
    }

    private static EngineEndpoint unix(Path socket, String why) {
        return new EngineEndpoint(URI.create("unix://" + socket), Optional.empty(), why);
    }

    private static RuntimeException unusable(String where, String address, String reason) {
        return ContextStore.invalid(where, address, reason, "use unix:///path/to/docker.sock or tcp://HOST:PORT");
    }

    private static String where(Setting setting) {
        return setting.name() + " (" + setting.origin() + ")";
    }

    private Path configDirectory(EngineSettings settings) {
        return settings.value("DOCKER_CONFIG").map(EngineDiscovery::absolute)
                .orElseGet(() -> Path.of(settings.home().orElse("/"), ".docker"));
    }

    private boolean isSocket(Path socket) {
        Path real = onDisk(socket);
        try {
            return ((Integer) Files.getAttribute(real, "unix:mode") & FILE_TYPE_BITS) == SOCKET_TYPE;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return Files.exists(real);
        } catch (IOException e) {
            return false;
        }
    }

    /** A path of this machine, where it is read: itself under {@code /}, else under the stand-in root. */
    private Path onDisk(Path machinePath) {
        return root.resolve(machinePath.getRoot() == null ? machinePath : machinePath.getRoot().relativize(machinePath));
    }

    private static Path absolute(String path) {
        return Path.of(path).toAbsolutePath();
    }

    private static OptionalInt currentUid() {
        try {
            return OptionalInt.of((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return OptionalInt.empty();
        }
    }
}
