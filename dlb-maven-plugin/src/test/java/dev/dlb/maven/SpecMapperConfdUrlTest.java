package dev.dlb.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The download URL is a template with {version}, which is not a legal URI until it is filled in. */
class SpecMapperConfdUrlTest {

    @Test
    void defaultDownloadUrlNamesThePinnedVersion() {
        assertEquals(URI.create("https://github.com/abtreece/confd/releases/download/v0.30.0/confd-0.30.0-linux-amd64"),
                mapper(new Confd()).confd().downloadUrl());
    }

    @Test
    void configuredTemplateGetsTheConfiguredVersion() {
        Confd confd = new Confd();
        confd.version = "0.33.1";
        confd.downloadUrl = "https://mirror.example/confd/{version}/confd";

        assertEquals(URI.create("https://mirror.example/confd/0.33.1/confd"), mapper(confd).confd().downloadUrl());
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
