package io.ticgateway.camel.transport;

import java.io.Closeable;
import java.io.IOException;

/**
 * A stream of TIC bytes: a serial port, a TCP bridge, a capture file or the simulator. Opened and read
 * by the consumer's reader task only; never opened in a Camel start method.
 */
public interface ByteSource extends Closeable {

    /** Read result meaning the source ended (file) or was lost (unplugged port, closed socket). */
    int END = -1;

    /**
     * Opens the source.
     *
     * @throws IOException with a message naming the device and the cause
     */
    void open() throws IOException;

    /**
     * Reads what is available, waiting at most about a second.
     *
     * @return bytes read, 0 when nothing came in time, {@link #END} when the source ended or was lost
     */
    int read(byte[] buffer) throws IOException;

    /** True for a source that ends normally (a capture file); false for a line that reconnects. */
    default boolean finite() {
        return false;
    }

    /** Closes the source; never throws. */
    @Override
    void close();

    /** Transport and address, for logs and headers: {@code serial:/dev/ttyUSB0}. */
    String describe();
}
