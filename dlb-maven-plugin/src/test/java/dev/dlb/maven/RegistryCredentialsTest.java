package dev.dlb.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlb.core.engine.RegistryAuth;
import dev.dlb.core.spec.InvalidSpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.DefaultSettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sonatype.plexus.components.cipher.DefaultPlexusCipher;
import org.sonatype.plexus.components.sec.dispatcher.DefaultSecDispatcher;

/**
 * The registry's credentials from settings.xml, through Maven's own decrypter over a settings-security.xml in a temporary
 * folder: a plain password as written, an encrypted one ({...}) decrypted with the master password, and one that cannot
 * be decrypted refused naming the server and the fix, without the password.
 */
class RegistryCredentialsTest {

    private static final String REGISTRY = "reg.example:5000";
    private static final String MASTER = "m4ster-" + System.nanoTime();
    private final DefaultPlexusCipher cipher = new DefaultPlexusCipher();

    @TempDir
    Path dir;

    @Test
    void aPlainPasswordIsTakenAsWritten() throws Exception {
        assertEquals(Optional.of(new RegistryAuth(REGISTRY, "ci", "s3cret")),
                RegistryCredentials.of(REGISTRY, settings("ci", "s3cret"), decrypter(securityFile(MASTER))));
    }

    @Test
    void anEncryptedPasswordIsDecryptedWithTheMasterPassword() throws Exception {
        String encrypted = cipher.encryptAndDecorate("s3cret", MASTER);
        assertTrue(encrypted.startsWith("{") && !encrypted.contains("s3cret"), encrypted);

        assertEquals(Optional.of(new RegistryAuth(REGISTRY, "ci", "s3cret")),
                RegistryCredentials.of(" " + REGISTRY + " ", settings("ci", encrypted), decrypter(securityFile(MASTER))));
    }

    @Test
    void aPasswordEncryptedWithAnotherMasterIsRefusedNamingTheServerAndTheFix() throws Exception {
        String encrypted = cipher.encryptAndDecorate("s3cret", "another-master");

        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> RegistryCredentials.of(REGISTRY, settings("ci", encrypted), decrypter(securityFile(MASTER))));

        assertTrue(e.getMessage().contains("settings.xml <server><id>" + REGISTRY + "</id><password>"), e.getMessage());
        assertTrue(e.getMessage().contains("it cannot be decrypted"), e.getMessage());
        assertTrue(e.getMessage().contains("Fix: encrypt it again with mvn --encrypt-password"), e.getMessage());
        assertFalse(e.getMessage().contains(encrypted), "the encrypted password is not shown: " + e.getMessage());
    }

    @Test
    void anEncryptedPasswordWithoutSettingsSecurityIsRefused() throws Exception {
        String encrypted = cipher.encryptAndDecorate("s3cret", MASTER);

        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> RegistryCredentials.of(REGISTRY, settings("ci", encrypted), decrypter(dir.resolve("missing-settings-security.xml"))));

        assertTrue(e.getMessage().contains("<id>" + REGISTRY + "</id>") && e.getMessage().contains("-Dsettings.security"), e.getMessage());
    }

    @Test
    void noRegistryNoServerOrNoUserMeansNoCredentials() throws Exception {
        SettingsDecrypter decrypter = decrypter(securityFile(MASTER));
        assertEquals(Optional.empty(), RegistryCredentials.of(null, settings("ci", "s3cret"), decrypter));
        assertEquals(Optional.empty(), RegistryCredentials.of("other:5000", settings("ci", "s3cret"), decrypter));
        assertEquals(Optional.empty(), RegistryCredentials.of(REGISTRY, settings(null, "s3cret"), decrypter));
    }

    private static Settings settings(String user, String password) {
        Server server = new Server();
        server.setId(REGISTRY);
        server.setUsername(user);
        server.setPassword(password);
        Settings settings = new Settings();
        settings.addServer(server);
        return settings;
    }

    /** settings-security.xml as mvn --encrypt-master-password writes it: the master password encrypted with "settings.security". */
    private Path securityFile(String master) throws Exception {
        return Files.writeString(dir.resolve("settings-security.xml"), "<settingsSecurity><master>"
                + cipher.encryptAndDecorate(master, DefaultSecDispatcher.SYSTEM_PROPERTY_SEC_LOCATION) + "</master></settingsSecurity>\n");
    }

    private static SettingsDecrypter decrypter(Path securityFile) {
        return new DefaultSettingsDecrypter(new DefaultSecDispatcher(new DefaultPlexusCipher(), Map.of(), securityFile.toString()));
    }
}
