package io.ticgateway.camel.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.apache.camel.util.IOHelper;

/** A raw TCP stream (ser2net, ESP bridges): connect, read with a timeout, END when the peer closes. */
public final class TcpByteSource implements ByteSource {

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int READ_TIMEOUT_MILLIS = 1_000;

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;

    public TcpByteSource(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public void open() throws IOException {
        close();
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            s.setKeepAlive(true);
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), e);
        }
        socket = s;
        in = s.getInputStream();
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        if (in == null) {
            return END;
        }
        try {
            return in.read(buffer);
        } catch (SocketTimeoutException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        IOHelper.close(socket);
        socket = null;
        in = null;
    }

    @Override
    public String describe() {
        return "tcp:" + host + ":" + port;
    }
}
