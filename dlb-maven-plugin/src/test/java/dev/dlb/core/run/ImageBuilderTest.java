package dev.dlb.core.run;

import static dev.dlb.core.testing.SpecBuilder.PROJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.render.ContextDigest;
import dev.dlb.core.testing.FakeEngine;
import dev.dlb.core.testing.SpecBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBuilderTest {

    private static final String TAG = SpecBuilder.WEB_IMAGE;
    private static final String BASE = SpecBuilder.WEB_BASE;
    private static final ImageBuilder.ImageRequest REQUEST = new ImageBuilder.ImageRequest(TAG, BASE, "<web><baseImage>", PROJECT);

    @TempDir
    Path context;
    private final FakeEngine engine = new FakeEngine();
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void setUp() {
        SpecBuilder.files(context, Map.of("Dockerfile", "FROM " + BASE + "\n", "content/index.html", "<h1>one</h1>"));
    }

    @Test
    void skipsTheBuildWhenTheImageWasBuiltFromTheSameContextAndBase() throws Exception {
        engine.image(BASE, "sha256:base", Map.of())
                .image(TAG, "sha256:old", Map.of(ImageBuilder.CONTEXT_LABEL, ContextDigest.of(context, "sha256:base")));

        assertFalse(builder(false).build(context, REQUEST).built());
        assertEquals(List.of(), engine.calls());
    }

    @Test
    void buildsWhenTheContextChanged() throws Exception {
        engine.image(BASE, "sha256:base", Map.of()).image(TAG, "sha256:old", Map.of(ImageBuilder.CONTEXT_LABEL, "0".repeat(64)));

        assertTrue(builder(false).build(context, REQUEST).built());
        assertEquals(List.of("build " + TAG), engine.calls());
        assertEquals(Map.of(ImageBuilder.CONTEXT_LABEL, ContextDigest.of(context, "sha256:base"), Labels.PROJECT, PROJECT),
                engine.buildLabels().get(0));
    }

    @Test
    void buildsWhenTheBaseImageChanged() throws Exception {
        engine.image(BASE, "sha256:new-base", Map.of())
                .image(TAG, "sha256:old", Map.of(ImageBuilder.CONTEXT_LABEL, ContextDigest.of(context, "sha256:base")));

        assertTrue(builder(false).build(context, REQUEST).built());
    }

    @Test
    void buildsWhenThereIsNoImageYetAndSkipsTheNextTime() throws Exception {
        engine.image(BASE, "sha256:base", Map.of());

        assertTrue(builder(false).build(context, REQUEST).built());
        assertFalse(builder(false).build(context, REQUEST).built());
        assertEquals(List.of("build " + TAG), engine.calls());
    }

    @Test
    void missingBaseImageIsPulledWhenOnline() throws Exception {
        engine.pullable(BASE, "sha256:pulled");

        assertTrue(builder(false).build(context, REQUEST).built());
        assertEquals(List.of("pull " + BASE, "build " + TAG), engine.calls());
    }

    @Test
    void missingBaseImageOfflineFailsNamingTheXmlPathWithoutPulling() {
        engine.pullable(BASE, "sha256:pulled");

        StackException e = assertThrows(StackException.class, () -> builder(true).build(context, REQUEST));

        assertTrue(e.getMessage().contains("(<web><baseImage>)"), e::getMessage);
        assertTrue(e.getMessage().contains("offline"), e::getMessage);
        assertTrue(e.getMessage().contains("Fix: set <web><baseImage>"), e::getMessage);
        assertEquals(List.of(), engine.calls());
    }

    @Test
    void baseImageThatCannotBePulledFailsNamingTheXmlPath() {
        StackException e = assertThrows(StackException.class, () -> builder(false).build(context, REQUEST).built());

        assertTrue(e.getMessage().contains("(<web><baseImage>) is not in the engine and cannot be pulled"), e::getMessage);
        assertEquals(List.of("pull " + BASE), engine.calls());
    }

    private ImageBuilder builder(boolean offline) {
        return new ImageBuilder(engine, offline, log::add);
    }
}
