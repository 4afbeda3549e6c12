package io.ticgateway.camel;

import io.ticgateway.camel.transport.ByteSource;
import io.ticgateway.camel.transport.FileByteSource;
import io.ticgateway.camel.transport.RawRecorder;
import io.ticgateway.camel.transport.SerialByteSource;
import io.ticgateway.camel.transport.SimulatorByteSource;
import io.ticgateway.camel.transport.TcpByteSource;
import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.simulator.MeterSimulator;
import io.ticgateway.simulator.SimulatedFamily;
import java.nio.file.Path;
import java.time.ZoneId;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Reads a French electricity meter's TIC output and emits one exchange per decoded frame: from a serial
 * port, a TCP bridge (ser2net), a recorded capture, or a simulated meter.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "tic", title = "TIC (Enedis Télé-Information Client)",
        syntax = "tic:transport:address", consumerOnly = true, category = {Category.IOT},
        headersClass = TicConstants.class)
@ManagedResource(description = "TIC meter endpoint")
public class TicEndpoint extends DefaultEndpoint {

    @UriPath(description = "Where the bytes come from: serial, tcp, file or simulator.")
    @Metadata(required = true)
    private TransportType transport;
    @UriPath(description = "Serial device path, host:port, capture file path, or simulated meter (linky-standard,"
            + " linky-standard-tri, linky-producer, linky-historic, historic-tri, pmepmi).")
    @Metadata(required = true)
    private String address;
    @UriParam(defaultValue = "auto", description = "TIC mode: auto detects it on every frame.")
    private ModeOption mode = ModeOption.auto;
    @UriParam(defaultValue = "strict", description = "strict delivers only frames whose every group is valid;"
            + " lenient delivers the valid groups of damaged frames.")
    private PolicyOption policy = PolicyOption.strict;
    @UriParam(description = "Meter id to use instead of the one in the frames (ADSC, ADCO, ADS).")
    private String meterId;
    @UriParam(description = "Name of the meter in headers and sinks (several meters on one gateway);"
            + " defaults to the meter id.")
    private String name;
    @UriParam(defaultValue = "false", description = "Open the port 8N1 and strip bit 7 in software"
            + " (for adapters that cannot do 7E1).")
    private boolean stripParity;
    @UriParam(defaultValue = "0", description = "Line speed; 0 takes the mode's (historic and PME-PMI 1200,"
            + " standard 9600); with mode auto on a serial port, 0 tries 9600, 1200, 19200, 4800 and 2400"
            + " until valid frames arrive.")
    private int baudRate;
    @UriParam(defaultValue = "1000", javaType = "java.time.Duration", description = "First wait before reopening a"
            + " lost source (milliseconds, or a duration such as 5s); doubled after each failure.")
    private long reconnectDelay = 1000;
    @UriParam(defaultValue = "30000", javaType = "java.time.Duration", description = "Longest wait between reopening"
            + " attempts, never below reconnectDelay (milliseconds, or a duration such as 1m).")
    private long maxReconnectDelay = 30_000;
    @UriParam(defaultValue = "30000", javaType = "java.time.Duration", description = "Readiness goes DOWN when no"
            + " valid frame came for this long (milliseconds, or a duration such as 2m).")
    private long noDataTimeout = 30_000;
    @UriParam(defaultValue = "15000", label = "advanced", javaType = "java.time.Duration", description = "Serial with"
            + " mode auto and no baud rate: how long without a valid frame before the next speed is tried"
            + " (milliseconds, or a duration such as 15s).")
    private long baudDetectTimeout = 15_000;
    @UriParam(description = "file and simulator: asap (as fast as possible) or realtime (at the baud rate: baudRate,"
            + " else the mode's; a capture with mode auto at its family's, 9600 when it holds HT separators, else 1200);"
            + " default asap for file, realtime for simulator.")
    private ReplayPace pace;
    @UriParam(defaultValue = "false", description = "file: replay the capture again when it ends.")
    private boolean loop;
    @UriParam(description = "Folder where the exact bytes received are appended, one file a day"
            + " (NAME-yyyyMMdd.raw, NAME being the name option or transport-address), replayable with tic:file.")
    private String recordDir;

    private final TicStatistics statistics = new TicStatistics();

    public TicEndpoint(String uri, TicComponent component) {
        super(uri, component);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("tic: is a consumer only endpoint: use it in from(...)");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        TicConsumer consumer = new TicConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        positive("reconnectDelay", reconnectDelay);
        positive("maxReconnectDelay", maxReconnectDelay);
        positive("noDataTimeout", noDataTimeout);
        positive("baudDetectTimeout", baudDetectTimeout);
        if (reconnectDelay > maxReconnectDelay) { // reconnectDelay=1m alone: every wait a minute, not shorter later
            maxReconnectDelay = reconnectDelay;
        }
        statistics.noDataTimeout(noDataTimeout);
        if (baudRate < 0 || baudRate > 115_200) {
            throw new IllegalArgumentException("tic: baudRate must be between 0 and 115200, was " + baudRate);
        }
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("tic: an address is required, as in tic:" + transport + ":<address>");
        }
        if (transport == TransportType.tcp) {
            hostAndPort();
        }
        if (transport == TransportType.simulator) {
            SimulatedFamily.of(address);
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (transport == TransportType.serial) {
            ((TicComponent) getComponent()).claimSerialPort(address, getEndpointUri());
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (transport == TransportType.serial) { // a route removed and added back may read the port again
            ((TicComponent) getComponent()).releaseSerialPort(address, getEndpointUri());
        }
        super.doStop();
    }

    private static void positive(String option, long value) {
        if (value <= 0) { // a text that is no duration reaches here as 0
            throw new IllegalArgumentException("tic: " + option + " must be a positive duration, milliseconds or such as"
                    + " 5s or 1m30s; was " + value + (value == 0 ? " (or a text that is not a duration)" : ""));
        }
    }

    private Object[] hostAndPort() {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("tic:tcp address must be host:port, was '" + address + "'");
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            if (port < 1 || port > 65_535) {
                throw new NumberFormatException();
            }
            return new Object[] {address.substring(0, colon), port};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tic:tcp port must be 1-65535, was '" + address.substring(colon + 1) + "'");
        }
    }

    /** The baud rate for this endpoint's mode, when none is set. */
    int effectiveBaudRate() {
        if (baudRate > 0) {
            return baudRate;
        }
        return mode.mode() != null ? mode.mode().defaultBaudRate() : 9600;
    }

    /** True when the serial speed must be detected: serial, mode auto, no baud rate; the reader tries each speed in turn. */
    public boolean detectsBaudRate() {
        return transport == TransportType.serial && baudRate == 0 && mode == ModeOption.auto;
    }

    /** A new byte source for this endpoint's transport (not opened). */
    ByteSource createSource() {
        return switch (transport) {
            case serial -> new SerialByteSource(address, effectiveBaudRate(), !stripParity);
            case tcp -> {
                Object[] hp = hostAndPort();
                yield new TcpByteSource((String) hp[0], (Integer) hp[1]);
            }
            case file -> new FileByteSource(Path.of(address), pace != ReplayPace.realtime ? 0
                    : baudRate == 0 && mode == ModeOption.auto ? FileByteSource.CAPTURE_SPEED : effectiveBaudRate());
            case simulator -> {
                SimulatedFamily family = SimulatedFamily.of(address);
                MeterSimulator simulator = new MeterSimulator(family, meterId, baudRate, System.currentTimeMillis(),
                        address.hashCode());
                yield new SimulatorByteSource(simulator, pace != ReplayPace.asap);
            }
        };
    }

    /** Decoder options from this endpoint's options. */
    DecoderOptions decoderOptions() {
        return DecoderOptions.defaults().withMode(mode.mode()).withPolicy(policy.policy())
                .withStripParity(stripParity);
    }

    /** This endpoint's counters. */
    public TicStatistics getStatistics() {
        return statistics;
    }

    @ManagedAttribute(description = "Frames delivered")
    public long getFramesDelivered() {
        return statistics.getFramesDelivered();
    }

    @ManagedAttribute(description = "Frames left out because their interpretation failed")
    public long getFramesNotInterpreted() {
        return statistics.getFramesNotInterpreted();
    }

    @ManagedAttribute(description = "Frames rejected (all reasons)")
    public long getFramesRejected() {
        return statistics.getFramesRejected();
    }

    @ManagedAttribute(description = "Reconnections of the source")
    public long getReconnects() {
        return statistics.getReconnects();
    }

    @ManagedAttribute(description = "Source open")
    public boolean isConnected() {
        return statistics.isConnected();
    }

    public TransportType getTransport() {
        return transport;
    }

    public void setTransport(TransportType transport) {
        this.transport = transport;
    }

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    public ModeOption getMode() {
        return mode;
    }

    public void setMode(ModeOption mode) {
        this.mode = mode;
    }

    public PolicyOption getPolicy() {
        return policy;
    }

    public void setPolicy(PolicyOption policy) {
        this.policy = policy;
    }

    public String getMeterId() {
        return meterId;
    }

    public void setMeterId(String meterId) {
        this.meterId = meterId;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public boolean isStripParity() {
        return stripParity;
    }

    public void setStripParity(boolean stripParity) {
        this.stripParity = stripParity;
    }

    public int getBaudRate() {
        return baudRate;
    }

    public void setBaudRate(int baudRate) {
        this.baudRate = baudRate;
    }

    public long getReconnectDelay() {
        return reconnectDelay;
    }

    public void setReconnectDelay(long reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    public long getMaxReconnectDelay() {
        return maxReconnectDelay;
    }

    public void setMaxReconnectDelay(long maxReconnectDelay) {
        this.maxReconnectDelay = maxReconnectDelay;
    }

    public long getNoDataTimeout() {
        return noDataTimeout;
    }

    public void setNoDataTimeout(long noDataTimeout) {
        this.noDataTimeout = noDataTimeout;
    }

    public long getBaudDetectTimeout() {
        return baudDetectTimeout;
    }

    public void setBaudDetectTimeout(long baudDetectTimeout) {
        this.baudDetectTimeout = baudDetectTimeout;
    }

    public ReplayPace getPace() {
        return pace;
    }

    public void setPace(ReplayPace pace) {
        this.pace = pace;
    }

    public String getRecordDir() {
        return recordDir;
    }

    public void setRecordDir(String recordDir) {
        this.recordDir = recordDir;
    }

    /** A recorder of the raw bytes, or null when recordDir is not set. */
    RawRecorder createRecorder() {
        if (recordDir == null || recordDir.isBlank()) {
            return null;
        }
        String base = name != null && !name.isBlank() ? name : transport + "-" + address;
        return new RawRecorder(Path.of(recordDir), base, ZoneId.systemDefault());
    }

    public boolean isLoop() {
        return loop;
    }

    public void setLoop(boolean loop) {
        this.loop = loop;
    }
}
