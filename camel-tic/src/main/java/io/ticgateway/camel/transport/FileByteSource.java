package io.ticgateway.camel.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.camel.util.IOHelper;

/** Replays a raw capture, as fast as possible or at a baud rate; ends at the end of the file. */
public final class FileByteSource implements ByteSource {

    private static final int REALTIME_CHUNK = 64;

    private final Path path;
    private final Pacer pacer;
    private InputStream in;

    /**
     * @param path     the capture
     * @param baudRate replay speed in baud, or 0 for as fast as possible
     */
    public FileByteSource(Path path, int baudRate) {
        this.path = path;
        this.pacer = baudRate > 0 ? new Pacer(baudRate) : null;
    }

    @Override
    public void open() throws IOException {
        close();
        try {
            in = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new IOException("capture file " + path + " not found", e);
        }
        if (pacer != null) {
            pacer.reset();
        }
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        if (in == null) {
            return END;
        }
        int want = pacer == null ? buffer.length : Math.min(buffer.length, REALTIME_CHUNK);
        int n = in.read(buffer, 0, want);
        if (n > 0 && pacer != null) {
            try {
                pacer.pace(n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("replay interrupted");
            }
        }
        return n < 0 ? END : n;
    }

    @Override
    public boolean finite() {
        return true;
    }

    @Override
    public void close() {
        IOHelper.close(in);
        in = null;
    }

    @Override
    public String describe() {
        return "file:" + path;
    }
}
