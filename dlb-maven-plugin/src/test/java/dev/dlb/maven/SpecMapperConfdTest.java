package dev.dlb.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dlb.core.spec.ConfdSpec;
import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code <confd>} block and its command-line overrides to the ConfdSpec. */
class SpecMapperConfdTest {

    @Test
    void withoutTheBlockConfdIsBuiltAtThePinnedVersionInTheOfficialGoImage() {
        assertEquals(new ConfdSpec(Optional.empty(), "0.30.0", "golang:1.22-bookworm"), mapper(null).confd());
    }

    @Test
    void configuredVersionLosesItsLeadingVAndTheBuilderImageIsKept() {
        Confd confd = new Confd();
        confd.version = "v0.41.1";
        confd.builderImage = "golang:1.24-bookworm";

        assertEquals(new ConfdSpec(Optional.empty(), "0.41.1", "golang:1.24-bookworm"), mapper(confd).confd());
    }

    @Test
    void commandLineBuilderImageAndBinaryWinOverTheBlock() {
        Confd confd = new Confd();
        confd.builderImage = "golang:1.24-bookworm";
        confd.binary = new File("/opt/confd");
        AbstractDlbMojo mojo = mojo(confd);
        mojo.confdBuilderImageOverride = "dlb-standin-golang:1.22-bookworm";
        mojo.confdBinaryOverride = new File("/usr/local/bin/confd");

        ConfdSpec spec = new SpecMapper("dev.dlb.test", "shop", "1.0", mojo).confd();

        assertEquals(new ConfdSpec(Optional.of(Path.of("/usr/local/bin/confd")), "0.30.0", "dlb-standin-golang:1.22-bookworm"), spec);
    }

    private static SpecMapper mapper(Confd confd) {
        return new SpecMapper("dev.dlb.test", "shop", "1.0", mojo(confd));
    }

    private static AbstractDlbMojo mojo(Confd confd) {
        AbstractDlbMojo mojo = new AbstractDlbMojo() {
            @Override
            void run() {
            }
        };
        mojo.confd = confd;
        return mojo;
    }
}
