package io.ticgateway.app.status;

import io.ticgateway.camel.TicEndpoint;
import io.ticgateway.camel.TicStatistics;
import io.ticgateway.camel.TransportType;

/**
 * What a meter's source is and how its line stands at one instant, beside its counters ({@link LineSample}).
 *
 * @param transport   serial, tcp, file or simulator: what the advice can name
 * @param speedSearch a serial port without mode= nor baudRate=: the reader tries each speed in turn
 * @param open        the source is open
 * @param finished    a capture replay reached its end
 * @param lastError   the last open or read error, or null
 * @param openSince   when the source was opened, epoch milliseconds (0 before); a speed change is no new opening
 * @param lastByteAt  when bytes last arrived, epoch milliseconds (0 before the first)
 * @param baudRate    the serial speed in use, 0 when not applicable
 */
public record LineState(TransportType transport, boolean speedSearch, boolean open, boolean finished,
                        String lastError, long openSince, long lastByteAt, int baudRate) {

    /** An endpoint's line now. */
    public static LineState of(TicEndpoint endpoint) {
        TicStatistics stats = endpoint.getStatistics();
        return new LineState(endpoint.getTransport(), endpoint.detectsBaudRate(), stats.isConnected(),
                stats.isFinished(), stats.getLastError(), stats.getConnectedSince(), stats.getLastByteTime(),
                stats.getBaudRate());
    }
}
