package dev.dlb.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.dlb.core.engine.EngineEndpoint.Tls;
import dev.dlb.core.spec.InvalidSpecException;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS as the docker CLI speaks it, against an HTTPS server on 127.0.0.1 that stands for a TLS engine
 * ({@code dockerd --tlsverify}): it answers every request, only to a client whose certificate its authority signed.
 */
class DockerJavaEngineTlsTest {

    private static final EngineTimeouts TIMEOUTS = new EngineTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10));
    /** RSA keys are slow to make; every certificate of the class reuses these. */
    private static final KeyPair CA_KEY = Authority.keyPair();
    private static final KeyPair OTHER_CA_KEY = Authority.keyPair();
    private static final KeyPair SERVER_KEY = Authority.keyPair();
    private static final KeyPair CLIENT_KEY = Authority.keyPair();

    @TempDir
    Path dir;

    private final AtomicInteger answered = new AtomicInteger();
    private Authority authority;
    private HttpsServer engine;

    @BeforeEach
    void aTlsEngine() throws Exception {
        authority = new Authority("dlb test CA", CA_KEY);
        KeyPair serverKey = SERVER_KEY;
        X509Certificate server = authority.sign("engine", serverKey);
        engine = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        engine.setHttpsConfigurator(new HttpsConfigurator(serverContext(serverKey, server, authority.certificate)) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                params.setSSLParameters(ssl);
            }
        });
        engine.createContext("/", exchange -> {
            answered.incrementAndGet();
            byte[] ok = "OK".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        engine.start();
    }

    @AfterEach
    void stop() {
        engine.stop(0);
    }

    @Test
    void theClientCertificateAndTheAuthorityAreUsed() throws Exception {
        writeClientFiles(authority, authority);

        ping(new Tls(dir, true));

        assertTrue(answered.get() > 0, "the engine answered");
    }

    @Test
    void anEngineWhoseCertificateTheAuthorityDidNotSignIsRefused() throws Exception {
        Authority stranger = new Authority("another CA", OTHER_CA_KEY);
        writeClientFiles(authority, stranger);

        EngineException e = assertThrows(EngineException.class, () -> ping(new Tls(dir, true)));

        assertTrue(e.getMessage().startsWith("No Docker engine answers at tcp://127.0.0.1:"), e::getMessage);
        assertEquals(0, answered.get(), "nothing was sent to an engine that could not prove who it is");
    }

    @Test
    void skippingVerificationAcceptsAnyEngineButStillSendsTheClientCertificate() throws Exception {
        writeClientFiles(authority, new Authority("another CA", OTHER_CA_KEY));

        ping(new Tls(dir, false));

        assertTrue(answered.get() > 0, "the engine answered");
    }

    @Test
    void withoutAClientCertificateAnEngineThatWantsOneRefuses() throws Exception {
        writeClientFiles(authority, authority);
        Files.delete(dir.resolve("key.pem"));

        assertThrows(EngineException.class, () -> ping(new Tls(dir, true)));
        assertEquals(0, answered.get());
    }

    @Test
    void filesThatAreNoCertificatesAreNamed() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "not a certificate");

        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> ping(new Tls(dir, true)));

        assertEquals("the engine's TLS files", e.problems().get(0).xmlPath());
        assertEquals(dir.toString(), e.problems().get(0).value());
    }

    private void ping(Tls tls) throws EngineException {
        EngineEndpoint endpoint = new EngineEndpoint(URI.create("tcp://127.0.0.1:" + engine.getAddress().getPort()), Optional.of(tls), "test");
        try (ContainerEngine client = DockerJavaEngine.connect(endpoint, TIMEOUTS)) {
            client.ping();
        }
    }

    /** ca.pem of {@code trusted}, and a client certificate (cert.pem, key.pem) that {@code signer} signed. */
    private void writeClientFiles(Authority signer, Authority trusted) throws Exception {
        KeyPair clientKey = CLIENT_KEY;
        Files.writeString(dir.resolve("cert.pem"), pem(signer.sign("client", clientKey)));
        Files.writeString(dir.resolve("key.pem"), pem(clientKey.getPrivate()));
        Files.writeString(dir.resolve("ca.pem"), pem(trusted.certificate));
    }

    private static SSLContext serverContext(KeyPair key, X509Certificate certificate, X509Certificate ca) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("engine", key.getPrivate(), new char[0], new X509Certificate[] {certificate, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    /** A certificate authority, as dockerd's TLS guide makes one with openssl. */
    private static final class Authority {

        private final KeyPair key;
        private final X500Name name;
        private final X509Certificate certificate;

        Authority(String commonName, KeyPair key) throws Exception {
            this.key = key;
            name = new X500Name("CN=" + commonName);
            certificate = issue(name, key, true);
        }

        X509Certificate sign(String commonName, KeyPair subject) throws Exception {
            return issue(new X500Name("CN=" + commonName), subject, false);
        }

        private X509Certificate issue(X500Name subject, KeyPair subjectKey, boolean ca) throws Exception {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, subjectKey.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(List.of(new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                            new GeneralName(GeneralName.dNSName, "localhost")).toArray(GeneralName[]::new)));
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate())));
        }

        static KeyPair keyPair() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
