package dev.dlb.core.engine;

import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS of a client that never speaks it (an engine's socket): refuses any use, which would be a bug. Handed to a
 * client instead of the JDK's default context, whose trust store and cipher suites cost a cold JVM 0.2–0.3 s.
 */
public final class NoTls extends SSLContextSpi {

    private static final SSLContext CONTEXT = new SSLContext(new NoTls(), null, "none") { };

    private NoTls() {
    }

    public static SSLContext context() {
        return CONTEXT;
    }

    private static IllegalStateException refused() {
        return new IllegalStateException("TLS asked of a client that never speaks it");
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
        throw refused();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
        throw refused();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
        throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
        throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
        throw refused();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
        throw refused();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
        throw refused();
    }
}
