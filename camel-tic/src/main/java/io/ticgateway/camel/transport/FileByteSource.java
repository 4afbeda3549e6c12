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
    /** Replay at the speed of the capture's family: {@link #captureSpeed}. */
    public static final int CAPTURE_SPEED = -1;
    /** How much of a capture is looked at for its family's speed. */
    private static final int SNIFF_BYTES = 4096;
    /** HT bytes in those that make a standard-mode capture (a standard frame holds dozens). */
    private static final int STANDARD_TABS = 8;

    private final Path path;
    private final int baudRate;
    private Pacer pacer;
    private InputStream in;

    /**
     * @param path     the capture
     * @param baudRate replay speed in baud, 0 for as fast as possible, or {@link #CAPTURE_SPEED}
     */
    public FileByteSource(Path path, int baudRate) {
        this.path = path;
        this.baudRate = baudRate;
    }

    @Override
    public void open() throws IOException {
        close();
        try {
            in = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new IOException("capture file " + path + " not found", e);
        }
        if (pacer == null && baudRate != 0) {
            pacer = new Pacer(baudRate > 0 ? baudRate : captureSpeed());
        }
        if (pacer != null) {
            pacer.reset();
        }
    }

    /**
     * The speed of the capture's family: 9600 Bd when its first bytes hold the HT separators of the standard
     * mode (two a group: a few stray bytes do not count), else 1200 Bd (historic and PME-PMI).
     */
    private int captureSpeed() throws IOException {
        byte[] head;
        try (InputStream sniff = Files.newInputStream(path)) {
            head = sniff.readNBytes(SNIFF_BYTES);
        }
        int tabs = 0;
        for (byte b : head) {
            if ((b & 0x7F) == '\t' && ++tabs == STANDARD_TABS) {
                return 9600;
            }
        }
        return 1200;
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

    /** The replay's speed in baud once open, 0 as fast as possible. */
    public int replaySpeed() {
        return pacer == null ? 0 : pacer.baudRate();
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
