package dev.dlb.core.engine;

import com.github.dockerjava.core.util.CertificateUtils;
import dev.dlb.core.spec.InvalidSpecException;
import dev.dlb.core.spec.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The TLS of an engine reached over TCP with certificates; apart from DockerJavaEngine so that only such an engine loads BouncyCastle. */
final class EngineTls {

    private EngineTls() {
    }

    /** The TLS the docker CLI speaks with these files: the client certificate if cert.pem and key.pem exist, the authority in ca.pem if it does. */
    static SSLContext context(EngineEndpoint.Tls tls) {
        Path dir = tls.directory();
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider()); // docker-java reads PEM files through it, as its own TLS setup does
        }
        try {
            KeyManager[] keys = null;
            if (Files.isRegularFile(dir.resolve("cert.pem")) && Files.isRegularFile(dir.resolve("key.pem"))) {
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(CertificateUtils.createKeyStore(Files.readString(dir.resolve("key.pem")), Files.readString(dir.resolve("cert.pem"))),
                        "docker".toCharArray());
                keys = factory.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, tls.verify() ? authorities(dir) : new TrustManager[] {new TrustingAnyEngine()}, null);
            return context;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new InvalidSpecException(List.of(new Problem("the engine's TLS files", dir.toString(), "they cannot be used: " + DockerJavaEngine.rootMessage(e),
                    "give ca.pem, cert.pem and key.pem in PEM form there, as docker context export or docker-machine write them")));
        }
    }

    /** The authority in ca.pem; without one, the JDK's own. */
    private static TrustManager[] authorities(Path dir) throws IOException, GeneralSecurityException {
        if (!Files.isRegularFile(dir.resolve("ca.pem"))) {
            return null;
        }
        KeyStore authority = CertificateUtils.createTrustStore(Files.readString(dir.resolve("ca.pem")));
        if (authority.size() == 0) {
            throw new GeneralSecurityException("ca.pem holds no certificate");
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(authority);
        return factory.getTrustManagers();
    }

    /** A context's SkipTLSVerify: any certificate chain is accepted (the HTTP client still checks the host name in it). */
    private static final class TrustingAnyEngine implements X509TrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // only the client side is used
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // SkipTLSVerify: not verified, as the docker CLI does
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
