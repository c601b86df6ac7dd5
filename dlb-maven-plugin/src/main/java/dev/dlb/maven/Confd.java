package dev.dlb.maven;

import java.io.File;

/**
 * The {@code <confd>} block, needed only to change what happens without it: confd built for the engine's
 * architecture from its Go module (verified against the Go checksum database) in a container on the engine,
 * once, then taken from the local repository. Users read about its fields in the Javadoc of
 * {@link AbstractDlbMojo#confd}, which help and the plugin's documentation show; PluginDescriptionsTest fails
 * when a field is missing there.
 */
public class Confd {

    /** A local confd executable for the engine's platform (linux, static); used as it is, nothing is built. Command line: {@code -Ddlb.confd.binary}. @since 0.1.0 */
    File binary;

    /** The version of github.com/abtreece/confd to build. @since 0.1.0 */
    String version;

    /** The Go image confd is built in, on the engine; must have {@code go} on PATH. Command line: {@code -Ddlb.confd.builderImage}. @since 0.1.0 */
    String builderImage;
}
