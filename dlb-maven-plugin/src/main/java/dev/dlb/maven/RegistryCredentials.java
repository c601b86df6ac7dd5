package dev.dlb.maven;

import dev.dlb.core.engine.RegistryAuth;
import dev.dlb.core.spec.InvalidSpecException;
import dev.dlb.core.spec.Problem;
import java.util.List;
import java.util.Optional;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * A registry's credentials, the usual Maven way: the settings.xml server whose id is the registry's HOST[:PORT], its
 * password decrypted as Maven decrypts one ({@code {...}}, with the master password of settings-security.xml).
 */
final class RegistryCredentials {

    private RegistryCredentials() {
    }

    /** None when there is no registry, no such server, or one without a user name. */
    static Optional<RegistryAuth> of(String registry, Settings settings, SettingsDecrypter decrypter) {
        Server server = registry == null ? null : settings.getServer(registry.strip());
        if (server == null || server.getUsername() == null) {
            return Optional.empty();
        }
        SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        List<String> errors = result.getProblems().stream().filter(p -> p.getSeverity() != SettingsProblem.Severity.WARNING)
                .map(p -> p.getMessage().replaceFirst("\\.+$", "")).toList();
        if (!errors.isEmpty()) {
            throw new InvalidSpecException(List.of(new Problem("settings.xml <server><id>" + server.getId() + "</id><password>",
                    "(encrypted, not shown)", "it cannot be decrypted: " + String.join("; ", errors),
                    "encrypt it again with mvn --encrypt-password against the master password of ~/.m2/settings-security.xml (or of the "
                            + "file -Dsettings.security names; mvn --encrypt-master-password makes one), or give it in plain text")));
        }
        Server decrypted = result.getServer();
        return Optional.of(new RegistryAuth(decrypted.getId(), decrypted.getUsername(), Optional.ofNullable(decrypted.getPassword()).orElse("")));
    }
}
