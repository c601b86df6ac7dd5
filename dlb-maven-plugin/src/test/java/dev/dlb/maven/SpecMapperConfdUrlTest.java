package dev.dlb.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dlb.core.spec.ConfdSpec;
import org.junit.jupiter.api.Test;

/** The download URL stays a template with {version} until ConfdResolver fills it in. */
class SpecMapperConfdUrlTest {

    @Test
    void defaultsNameThePinnedVersionAndTheReleaseTemplate() {
        ConfdSpec spec = mapper(new Confd()).confd();
        assertEquals("0.30.0", spec.version());
        assertEquals("https://github.com/abtreece/confd/releases/download/v{version}/confd-{version}-linux-amd64", spec.downloadUrl());
    }

    @Test
    void configuredTemplateAndVersionAreKept() {
        Confd confd = new Confd();
        confd.version = "0.33.1";
        confd.downloadUrl = "https://mirror.example/confd/{version}/confd";

        ConfdSpec spec = mapper(confd).confd();
        assertEquals("0.33.1", spec.version());
        assertEquals("https://mirror.example/confd/{version}/confd", spec.downloadUrl());
    }

    private static SpecMapper mapper(Confd confd) {
        AbstractDlbMojo mojo = new AbstractDlbMojo() {
            @Override
            void run() {
            }
        };
        mojo.confd = confd;
        return new SpecMapper("dev.dlb.test", "shop", "1.0", mojo);
    }
}
