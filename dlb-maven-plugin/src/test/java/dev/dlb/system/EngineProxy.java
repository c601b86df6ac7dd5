package dev.dlb.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of the real engine's unix socket that can stop answering: once
 * {@link #silence()}d, it still accepts connections and reads requests, open connections included,
 * but forwards nothing either way, as an engine that hangs. {@link #answerAgain()} drops every
 * connection of the silent time (their requests are half-sent) and forwards new ones again.
 */
final class EngineProxy implements AutoCloseable {

    private final ServerSocket server;
    private final Path engineSocket;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean silent;

    private EngineProxy(ServerSocket server, Path engineSocket) {
        this.server = server;
        this.engineSocket = engineSocket;
        SilentListener.daemon("engine-proxy-accept", this::acceptAll);
    }

    /** In front of the engine DOCKER_HOST names if it is a unix socket, else the default socket. */
    static EngineProxy start() throws IOException {
        String host = System.getenv("DOCKER_HOST");
        Path socket = host != null && host.startsWith("unix://") ? Path.of(host.substring("unix://".length())) : Path.of("/var/run/docker.sock");
        return new EngineProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), socket);
    }

    String dockerHost() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    void silence() {
        silent = true;
    }

    void answerAgain() {
        links.forEach(Link::close);
        links.clear();
        silent = false;
    }

    boolean isSilent() {
        return silent;
    }

    /** Bytes read and not forwarded while silent: proof that somebody asked. */
    long dropped() {
        return dropped.get();
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                SocketChannel engine = silent ? null : SocketChannel.open(UnixDomainSocketAddress.of(engineSocket));
                Link link = new Link(client, engine);
                links.add(link);
                link.pump();
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        links.forEach(Link::close);
    }

    /** One client connection and, unless it came while silent, its connection to the engine. */
    private final class Link {

        private final Socket client;
        private final SocketChannel engine;

        Link(Socket client, SocketChannel engine) {
            this.client = client;
            this.engine = engine;
        }

        void pump() {
            SilentListener.daemon("engine-proxy-up", this::up);
            if (engine != null) {
                SilentListener.daemon("engine-proxy-down", this::down);
            }
        }

        private void up() {
            byte[] buffer = new byte[16384];
            try (InputStream in = client.getInputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (silent || engine == null) {
                        dropped.addAndGet(n);
                    } else {
                        ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                        while (bytes.hasRemaining()) {
                            engine.write(bytes);
                        }
                    }
                }
            } catch (IOException e) {
                // either side closed
            } finally {
                close();
            }
        }

        private void down() {
            ByteBuffer buffer = ByteBuffer.allocate(16384);
            try {
                OutputStream out = client.getOutputStream();
                while (engine.read(buffer) >= 0) {
                    if (!silent) {
                        out.write(buffer.array(), 0, buffer.position());
                        out.flush();
                    }
                    buffer.clear();
                }
            } catch (IOException e) {
                // either side closed
            } finally {
                close();
            }
        }

        void close() {
            try {
                client.close();
                if (engine != null) {
                    engine.close();
                }
            } catch (IOException e) {
                // closing anyway
            }
            links.remove(this);
        }
    }
}
