package io.ticgateway.camel;

/** Where a {@code tic:} endpoint reads its bytes. */
public enum TransportType {
    /** A serial port (USB TIC demodulator, GPIO UART), read with jSerialComm. */
    serial,
    /** A raw TCP stream, as ser2net or ESP bridges serve it. */
    tcp,
    /** A recorded capture, replayed. */
    file,
    /** A built-in simulated meter. */
    simulator
}
