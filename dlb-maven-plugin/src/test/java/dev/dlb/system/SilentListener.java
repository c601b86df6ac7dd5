package dev.dlb.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** An "engine" that accepts every connection, reads what it is sent, and never answers: on 127.0.0.1, or on a unix socket. */
final class SilentListener implements AutoCloseable {

    private final ServerSocketChannel server;
    private final String dockerHost;
    private final Set<SocketChannel> accepted = ConcurrentHashMap.newKeySet();

    private SilentListener(ServerSocketChannel server, String dockerHost) {
        this.server = server;
        this.dockerHost = dockerHost;
        daemon("silent-listener-accept", this::acceptAll);
    }

    static SilentListener start() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new SilentListener(server, "tcp://127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort());
    }

    static SilentListener onUnixSocket(Path socket) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket));
        return new SilentListener(server, "unix://" + socket);
    }

    String dockerHost() {
        return dockerHost;
    }

    int connections() {
        return accepted.size();
    }

    private void acceptAll() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                accepted.add(client);
                daemon("silent-listener-read", () -> swallow(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void swallow(SocketChannel client) {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        try (client) {
            while (client.read(buffer) >= 0) {
                buffer.clear(); // read and dropped: the request never gets an answer
            }
        } catch (IOException e) {
            // the client gave up
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel client : accepted) {
            client.close();
        }
        if (dockerHost.startsWith("unix://")) {
            Files.deleteIfExists(Path.of(dockerHost.substring("unix://".length())));
        }
    }

    static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }
}
