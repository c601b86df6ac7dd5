package dev.dlb.core.tool;

import dev.dlb.core.engine.ContainerEngine;
import dev.dlb.core.engine.EngineException;
import dev.dlb.core.spec.ConfdSpec;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Finds the confd binary: the configured local file as it is; otherwise the pinned version for the engine's
 * architecture (asked of the engine, not the host) from the local Maven repository, built there once from its Go
 * module in a container on that engine ({@link ConfdBuild}). Offline, it never builds.
 */
public final class ConfdResolver {

    private final ConfdCache cache;
    private final boolean offline;
    private final Supplier<ContainerEngine> engines;
    private final Consumer<String> log;

    /** @param engines connects to the engine; asked only when no binary is configured, and closed after use */
    public ConfdResolver(Path localRepository, boolean offline, Supplier<ContainerEngine> engines, Consumer<String> log) {
        this.cache = new ConfdCache(localRepository, log);
        this.offline = offline;
        this.engines = engines;
        this.log = log;
    }

    public Path resolve(ConfdSpec spec) throws ToolException {
        if (spec.binary().isPresent()) {
            return spec.binary().get();
        }
        try (ContainerEngine engine = engines.get()) {
            String arch = architecture(engine);
            Optional<Path> cached = cache.verified(spec.version(), arch);
            if (cached.isPresent()) {
                log.accept("confd " + spec.version() + " for linux/" + arch + " (the engine's architecture), SHA-256 verified: " + cached.get());
                return cached.get();
            }
            if (offline) {
                throw new ToolException("confd " + spec.version() + " for linux/" + arch + " (the engine's architecture) is not in the local "
                        + "repository (" + cache.path(spec.version(), arch) + ") and Maven is offline, so it is not built. Fix: run once "
                        + "without -o, which builds it in a container from " + spec.builderImage() + " and caches it, or set <confd><binary> "
                        + "(or -Ddlb.confd.binary) to a local confd executable");
            }
            return cache.store(spec.version(), arch, file -> new ConfdBuild(engine, log).run(spec, arch, file));
        }
    }

    private static String architecture(ContainerEngine engine) throws ToolException {
        String reported;
        try {
            engine.ping();
            reported = engine.architecture();
        } catch (EngineException e) {
            throw ToolException.engineMissing("confd is built for the Docker engine's architecture, so without <confd><binary> dlb needs the "
                    + "engine: " + e.getMessage() + "; or set <confd><binary> (or -Ddlb.confd.binary) to a confd executable", e);
        }
        return Architectures.goArch(reported).orElseThrow(() -> new ToolException("The Docker engine runs on " + reported
                + "; dlb builds confd for amd64 and arm64 only. Fix: set <confd><binary> (or -Ddlb.confd.binary) to a confd for linux/"
                + reported));
    }
}
