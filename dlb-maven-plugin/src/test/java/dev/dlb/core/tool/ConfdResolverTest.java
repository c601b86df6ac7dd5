package dev.dlb.core.tool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.ToolPlan;
import dev.dlb.core.spec.ConfdSpec;
import dev.dlb.core.testing.FakeEngine;
import dev.dlb.core.testing.FakeEngine.ToolRun;
import dev.dlb.core.testing.SpecBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolution against an in-memory engine: which binary, for which architecture, built when, cached where, verified how. */
class ConfdResolverTest {

    private static final String BUILDER = "golang:1.22-bookworm";
    private static final byte[] BUILT = "confd as the build made it".getBytes(StandardCharsets.UTF_8);
    private static final ConfdSpec SPEC = SpecBuilder.spec().confd();

    @TempDir
    Path repo;
    private final FakeEngine engine = new FakeEngine().image(BUILDER, "sha256:go", Map.of()).toolRun(new ToolRun(0, List.of("go: downloading"), BUILT));
    private final List<String> log = new ArrayList<>();

    @Test
    void aMissBuildsForTheEnginesArchitectureAndCachesTheBinaryWithItsChecksum() throws Exception {
        engine.architecture("aarch64");

        Path confd = resolver(false).resolve(SPEC);

        assertEquals(repo.resolve("dev/dlb/confd/0.30.0/confd-0.30.0-linux-arm64"), confd);
        assertArrayEquals(BUILT, Files.readAllBytes(confd));
        assertTrue(confd.toFile().canExecute());
        assertEquals(ConfdCache.sha256(confd) + "  confd-0.30.0-linux-arm64", Files.readString(sidecar(confd)).strip());
        assertEquals(List.of(confd, sidecar(confd)), cachedFiles(), "no partial file left behind");
        assertEquals("arm64", engine.toolPlans().get(0).environment().get("GOARCH"));
        assertEquals(List.of(), engine.liveNames(), "the build container is removed");
    }

    @Test
    void aHitBuildsNothing() throws Exception {
        Path first = resolver(false).resolve(SPEC);
        Path second = resolver(false).resolve(SPEC);

        assertEquals(first, second);
        assertEquals(1, engine.toolPlans().size());
        assertTrue(log.get(log.size() - 1).contains("SHA-256 verified: " + second), log::toString);
    }

    @Test
    void eachArchitectureHasItsOwnFile() throws Exception {
        Path amd64 = resolver(false).resolve(SPEC);
        engine.architecture("arm64");
        Path arm64 = resolver(false).resolve(SPEC);

        assertEquals(List.of("confd-0.30.0-linux-amd64", "confd-0.30.0-linux-arm64"),
                List.of(amd64.getFileName().toString(), arm64.getFileName().toString()));
        assertEquals(List.of("amd64", "arm64"), engine.toolPlans().stream().map(p -> p.environment().get("GOARCH")).toList());
    }

    @Test
    void aCachedBinaryWhoseBytesChangedIsDiscardedAndBuiltAgain() throws Exception {
        Path cached = resolver(false).resolve(SPEC);
        Files.writeString(cached, "tampered");

        Path again = resolver(false).resolve(SPEC);

        assertEquals(2, engine.toolPlans().size());
        assertArrayEquals(BUILT, Files.readAllBytes(again));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("Cached confd " + cached + " has SHA-256 ") && l.endsWith("discarding it")),
                log::toString);
    }

    @Test
    void aCachedBinaryWithoutItsRecordedChecksumIsBuiltAgain() throws Exception {
        Path cached = resolver(false).resolve(SPEC);
        Files.delete(sidecar(cached));

        resolver(false).resolve(SPEC);

        assertEquals(2, engine.toolPlans().size());
        assertTrue(Files.isRegularFile(sidecar(cached)));
    }

    @Test
    void offlineWithAnEmptyCacheBuildsNothingAndNamesTheFix() throws IOException {
        ToolException e = assertThrows(ToolException.class, () -> resolver(true).resolve(SPEC));

        assertEquals(List.of(), engine.toolPlans());
        assertTrue(e.getMessage().startsWith("confd 0.30.0 for linux/amd64 (the engine's architecture) is not in the local repository ("
                + repo.resolve("dev/dlb/confd/0.30.0/confd-0.30.0-linux-amd64") + ") and Maven is offline"), e::getMessage);
        assertTrue(e.getMessage().contains("Fix: run once without -o"), e::getMessage);
        assertTrue(e.getMessage().contains("<confd><binary>"), e::getMessage);
        assertEquals(List.of(), cachedFiles());
    }

    @Test
    void offlineWithAVerifiedCacheUsesIt() throws Exception {
        Path cached = resolver(false).resolve(SPEC);

        assertEquals(cached, resolver(true).resolve(SPEC));
        assertEquals(1, engine.toolPlans().size());
    }

    @Test
    void offlineWithATamperedCacheFailsWithoutBuilding() throws Exception {
        Files.writeString(resolver(false).resolve(SPEC), "tampered");

        assertThrows(ToolException.class, () -> resolver(true).resolve(SPEC));
        assertEquals(1, engine.toolPlans().size());
    }

    @Test
    void aFailedBuildCachesNothingRemovesItsContainerAndShowsItsLastLines() throws IOException {
        engine.toolRun(new ToolRun(1, List.of("go: downloading x", "tls: failed to verify certificate"), new byte[0]));

        ToolException e = assertThrows(ToolException.class, () -> resolver(false).resolve(SPEC));

        assertTrue(e.getMessage().startsWith("Building confd 0.30.0 for linux/amd64 in a container from " + BUILDER
                + " failed (exit code 1); its last lines:\n  go: downloading x\n  tls: failed to verify certificate\nFix: "), e::getMessage);
        assertEquals(List.of(), cachedFiles());
        assertEquals(List.of(), engine.liveNames());
        assertTrue(engine.calls().stream().noneMatch(c -> c.startsWith("copy ")), engine.calls()::toString);
    }

    @Test
    void aMissingBuilderImageIsPulled() throws Exception {
        FakeEngine bare = new FakeEngine().pullable(BUILDER, "sha256:go").toolRun(new ToolRun(0, List.of(), BUILT));

        new ConfdResolver(repo, false, () -> bare, log::add).resolve(SPEC);

        assertTrue(bare.calls().contains("pull " + BUILDER), bare.calls()::toString);
    }

    @Test
    void aBuilderImageThatCannotBePulledIsNamedWithItsFixAndNothingIsCreated() {
        FakeEngine bare = new FakeEngine();

        ToolException e = assertThrows(ToolException.class, () -> new ConfdResolver(repo, false, () -> bare, log::add).resolve(SPEC));

        assertTrue(e.getMessage().startsWith("The confd builder image " + BUILDER + " (<confd><builderImage>) is not in the engine and "
                + "cannot be pulled: pull access denied"), e::getMessage);
        assertTrue(e.getMessage().contains("scripts/env/golang-image.sh"), e::getMessage);
        assertEquals(List.of(), bare.toolPlans());
    }

    @Test
    void anEngineOfAnotherArchitectureIsNamedWithTheFix() {
        engine.architecture("s390x");

        ToolException e = assertThrows(ToolException.class, () -> resolver(false).resolve(SPEC));

        assertEquals("The Docker engine runs on s390x; dlb builds confd for amd64 and arm64 only. Fix: set <confd><binary> "
                + "(or -Ddlb.confd.binary) to a confd for linux/s390x", e.getMessage());
        assertEquals(List.of(), engine.toolPlans());
    }

    @Test
    void anEngineThatDoesNotAnswerNamesTheBinaryAsTheOtherWay() {
        engine.silent(true);

        ToolException e = assertThrows(ToolException.class, () -> resolver(false).resolve(SPEC));

        assertTrue(e.getMessage().startsWith("confd is built for the Docker engine's architecture, so without <confd><binary> dlb "
                + "needs the engine: the engine did not answer: ping"), e::getMessage);
    }

    @Test
    void theConfiguredBinaryIsUsedAsItIsWithoutAnEngine() throws Exception {
        Path binary = Files.writeString(repo.resolve("my-confd"), "local");
        ConfdSpec spec = SpecBuilder.spec().confdBinary(binary).confd();
        ConfdResolver noEngine = new ConfdResolver(repo, false, () -> {
            throw new AssertionError("no engine is needed for a configured binary");
        }, log::add);

        assertEquals(binary, noEngine.resolve(spec));
        assertEquals(List.of(binary), cachedFiles());
    }

    @Test
    void theBuildKeepsModuleVerificationOnWhateverTheImageSets() throws Exception {
        resolver(false).resolve(SpecBuilder.spec().confdVersion("0.29.1").confd());

        ToolPlan plan = engine.toolPlans().get(0);
        assertEquals(BUILDER, plan.image());
        Map<String, String> forced = Map.of("DLB_CONFD_VERSION", "0.29.1", "GOSUMDB", "sum.golang.org", "GONOSUMDB", "", "GOPRIVATE", "",
                "GOINSECURE", "", "GOFLAGS", "-mod=mod -buildvcs=false", "CGO_ENABLED", "0", "GOOS", "linux", "GOARCH", "amd64");
        assertTrue(plan.environment().entrySet().containsAll(forced.entrySet()), plan.environment()::toString);
        assertEquals(Map.of(ConfdBuild.LABEL, "0.29.1-linux-amd64"), plan.labels());
        assertTrue(plan.name().startsWith("dlb-confd-build-"), plan::name);
        assertEquals(List.of("sh", "-c"), plan.command().subList(0, 2));
        assertTrue(engine.calls().contains("copy " + ConfdBuild.OUTPUT + " out of " + plan.name()), engine.calls()::toString);
    }

    private ConfdResolver resolver(boolean offline) {
        return new ConfdResolver(repo, offline, () -> engine, log::add);
    }

    private static Path sidecar(Path binary) {
        return binary.resolveSibling(binary.getFileName() + ".sha256");
    }

    private List<Path> cachedFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(repo)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
