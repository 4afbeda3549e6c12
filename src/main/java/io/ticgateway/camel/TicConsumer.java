package io.ticgateway.camel;

import io.ticgateway.camel.transport.ByteSource;
import io.ticgateway.camel.transport.RawRecorder;
import io.ticgateway.camel.transport.SerialByteSource;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.MeterStream;
import io.ticgateway.protocol.Rejection;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reader task per endpoint: opens the source, feeds the bytes to the decoder and interpreter, and
 * sends one exchange per frame, in order, on the reader thread. A lost source is closed and reopened with
 * a doubling backoff; the route never dies. While suspended, the source keeps being drained and frames
 * are dropped (and counted).
 */
public class TicConsumer extends DefaultConsumer implements Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(TicConsumer.class);
    private static final int[] DETECTED_BAUD_RATES = {9600, 1200, 19200, 4800, 2400};

    private final TicEndpoint endpoint;
    private final TicStatistics statistics;
    private ExecutorService executor;
    private volatile ByteSource source;
    private volatile boolean readerDone;

    public TicConsumer(TicEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.statistics = endpoint.getStatistics();
    }

    @Override
    public TicEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        setHealthCheck(new TicConsumerHealthCheck(this));
        readerDone = false;
        String name = "tic-reader-" + endpoint.getTransport() + "-" + endpoint.getAddress();
        executor = endpoint.getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, name);
        executor.submit(this::readLoop);
    }

    @Override
    protected void doStop() throws Exception {
        if (executor != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdownNow(executor);
            executor = null;
        }
        ByteSource s = source;
        if (s != null) {
            s.close();
        }
        super.doStop();
    }

    /** True once a finite source (capture replay) was read to its end. */
    boolean isReaderDone() {
        return readerDone;
    }

    private void readLoop() {
        ByteSource src = endpoint.createSource();
        source = src;
        MeterStream stream = new MeterStream(endpoint.decoderOptions(), endpoint.getMeterId(), this::emit,
                this::rejected);
        statistics.attach(stream.stats());
        byte[] buffer = new byte[4096];
        RawRecorder recorder = endpoint.createRecorder();
        long delay = endpoint.getReconnectDelay();
        int baudIndex = 0;
        boolean everOpened = false;
        boolean failing = false;
        while (isRunAllowed() && !Thread.currentThread().isInterrupted()) {
            try {
                src.open();
                int baud = src instanceof SerialByteSource serial ? serial.baudRate() : 0;
                statistics.connected(System.currentTimeMillis(), baud);
                if (everOpened && !src.finite()) {
                    statistics.reconnected();
                }
                if (failing || everOpened) {
                    LOG.info("TIC source {} open again", src.describe());
                } else {
                    LOG.info("TIC source {} open", src.describe());
                }
                everOpened = true;
                failing = false;
                delay = endpoint.getReconnectDelay();
                long framesAtOpen = stream.stats().framesDelivered();
                long openedAt = System.currentTimeMillis();
                boolean switchingBaud = false;
                int n;
                while (isRunAllowed() && (n = src.read(buffer)) != ByteSource.END) {
                    if (n > 0) {
                        if (recorder != null) {
                            String failure = recorder.record(buffer, n);
                            if (failure != null) {
                                LOG.warn("TIC source {}: {}; recording stopped, reading goes on", src.describe(), failure);
                            }
                        }
                        stream.feed(buffer, 0, n);
                    }
                    if (endpoint.detectsBaudRate() && stream.stats().framesDelivered() == framesAtOpen
                            && System.currentTimeMillis() - openedAt > endpoint.getBaudDetectTimeout()) {
                        SerialByteSource serial = (SerialByteSource) src;
                        baudIndex = (baudIndex + 1) % DETECTED_BAUD_RATES.length;
                        LOG.info("TIC source {}: no valid frame at {} Bd, trying {} Bd", src.describe(),
                                serial.baudRate(), DETECTED_BAUD_RATES[baudIndex]);
                        serial.setBaudRate(DETECTED_BAUD_RATES[baudIndex]);
                        switchingBaud = true;
                        break;
                    }
                }
                stream.endOfInput();
                src.close();
                if (!isRunAllowed()) {
                    break;
                }
                if (switchingBaud) {
                    everOpened = false; // a speed change is no reconnection
                    continue;
                }
                if (src.finite()) {
                    if (endpoint.isLoop()) {
                        continue;
                    }
                    statistics.finished();
                    readerDone = true;
                    if (recorder != null) {
                        recorder.close();
                    }
                    LOG.info("TIC source {} replayed to its end: {}", src.describe(), statistics);
                    return;
                }
                statistics.disconnected("source " + src.describe() + " lost (end of stream)");
                LOG.warn("TIC source {} lost; reopening in {} ms", src.describe(), delay);
                failing = true;
                sleep(delay);
                delay = Math.min(delay * 2, endpoint.getMaxReconnectDelay());
            } catch (IOException | RuntimeException e) {
                stream.endOfInput();
                src.close();
                if (!isRunAllowed()) {
                    break;
                }
                statistics.disconnected(e.getMessage());
                if (!failing) {
                    LOG.warn("TIC source {}: {}; retrying every {}-{} ms", src.describe(), e.getMessage(),
                            endpoint.getReconnectDelay(), endpoint.getMaxReconnectDelay());
                } else {
                    LOG.debug("TIC source {} still failing: {}", src.describe(), e.getMessage());
                }
                failing = true;
                sleep(delay);
                delay = Math.min(delay * 2, endpoint.getMaxReconnectDelay());
            }
        }
        src.close();
        if (recorder != null) {
            recorder.close();
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void rejected(Rejection rejection) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("TIC {} rejected {} {}: {}", endpoint.getAddress(), rejection.wholeFrame() ? "frame" : "group",
                    rejection.reason(), rejection.detail());
        }
    }

    private void emit(MeterReading reading) {
        statistics.meter(reading.meterId());
        if (isSuspendingOrSuspended()) {
            statistics.droppedWhileSuspended();
            return;
        }
        Exchange exchange = createExchange(false);
        try {
            Message message = exchange.getMessage();
            message.setBody(reading);
            message.setHeader(TicConstants.METER_ID, reading.meterId());
            String name = endpoint.getName();
            message.setHeader(TicConstants.METER_NAME, name != null && !name.isBlank() ? name : reading.meterId());
            message.setHeader(TicConstants.MODE, reading.mode().id());
            if (reading.time() != null) {
                message.setHeader(TicConstants.FRAME_TIME, reading.time());
            }
            message.setHeader(TicConstants.RECEIVED_AT, reading.receivedAt());
            message.setHeader(TicConstants.SEQUENCE, reading.sequence());
            message.setHeader(TicConstants.SOURCE, endpoint.getTransport() + ":" + endpoint.getAddress());
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            if (exchange.getException() != null) {
                statistics.routingFailed();
                getExceptionHandler().handleException("Error processing TIC frame " + reading.sequence() + " of "
                        + reading.meterId(), exchange, exchange.getException());
            }
            releaseExchange(exchange, false);
        }
    }
}
