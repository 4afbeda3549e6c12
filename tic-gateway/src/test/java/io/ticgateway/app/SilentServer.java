package io.ticgateway.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A peer that hangs: accepts on a loopback port and reads whatever comes, forever; never writes a byte (a hung
 * broker or database, a proxy with nothing behind it).
 */
final class SilentServer implements AutoCloseable {

    private final ServerSocket server = new ServerSocket();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong bytesRead = new AtomicLong();

    /** @param port the port to listen on, 0 for any free one */
    SilentServer(int port) throws IOException {
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread acceptor = new Thread(this::serve, "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** Connections the client has not closed yet. */
    int open() {
        return open.get();
    }

    /** Bytes the clients sent. */
    long bytesRead() {
        return bytesRead.get();
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                held.add(s);
                accepted.incrementAndGet();
                open.incrementAndGet();
                Thread reader = new Thread(() -> read(s));
                reader.setDaemon(true);
                reader.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void read(Socket s) {
        try (InputStream in = s.getInputStream()) {
            byte[] b = new byte[8192];
            for (int n; (n = in.read(b)) > 0; ) {
                bytesRead.addAndGet(n);
            }
        } catch (IOException closed) {
            // the client or the test closed it
        } finally {
            open.decrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : held) {
            s.close();
        }
    }
}
