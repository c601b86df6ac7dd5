package dev.dlb.maven;

import java.io.File;

/**
 * The {@code <confd>} block: a local binary, or a pinned release downloaded once into the local repository.
 * Users read about its fields in the Javadoc of {@link AbstractDlbMojo#confd}, which help and the plugin's
 * documentation show; PluginDescriptionsTest fails when a field is missing there.
 */
public class Confd {

    /** A local confd executable (linux/amd64, static). Command line: {@code -Ddlb.confd.binary}. @since 0.1.0 */
    File binary;

    /** Release to download when no binary is given. @since 0.1.0 */
    String version;

    /** SHA-256 of that release's binary, pinned here; never taken from the download host. @since 0.1.0 */
    String sha256;

    /** Where the release binary is downloaded from; {@code {version}} is replaced. @since 0.1.0 */
    String downloadUrl;
}
