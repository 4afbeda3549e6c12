package io.ticgateway.camel;

import io.ticgateway.camel.transport.Backoff;
import io.ticgateway.camel.transport.BaudRateDetector;
import io.ticgateway.camel.transport.ByteSource;
import io.ticgateway.camel.transport.RawRecorder;
import io.ticgateway.camel.transport.SerialByteSource;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.MeterStream;
import io.ticgateway.protocol.Rejection;
import io.ticgateway.protocol.TicFrame;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelExchangeException;
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
 * a doubling backoff; the route never dies. Whatever escapes the read loop (an exception or an Error from
 * the source, the decoder or the route) is counted, shown in health, handed to the consumer's exception
 * handler (the route's error handler with {@code bridgeErrorHandler=true}) and the loop starts again. While
 * suspended, the source keeps being drained and frames are dropped (and counted). The frames of one read
 * of the source are one batch, as a Camel batch consumer's ({@link Exchange#BATCH_INDEX},
 * {@link Exchange#BATCH_SIZE}, {@link Exchange#BATCH_COMPLETE}): a route may commit them together.
 */
public class TicConsumer extends DefaultConsumer implements Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(TicConsumer.class);

    private final TicEndpoint endpoint;
    private final TicStatistics statistics;
    private ExecutorService executor;
    private volatile ByteSource source;
    // the frames of the current read, sent once the decoder has taken all its bytes (reader thread only)
    private final List<MeterReading> batch = new ArrayList<>();
    // the endpoint's own headers, the same for every frame: made once at start
    private String sourceHeader;
    private String nameHeader;
    // the read loop's outage state (reader thread only): an outage begins with a failed opening or a lost
    // source and ends with a frame (a bridge that takes the connection and closes it, silent, saying why or
    // sending noise, is still failing); the waits between attempts grow until then
    private boolean failing;
    private boolean receivedBefore;
    private Backoff backoff;
    // this opening's: the frames delivered before it, its bytes and the first of them (what a bridge that
    // closes at once said)
    private long framesBeforeOpening;
    private long bytesThisOpening;
    private final byte[] firstBytes = new byte[64];
    // an open source that stopped giving frames (readiness DOWN for noDataTimeout): logged once, and once when
    // a frame comes again (reader thread only)
    private long silenceLoggedAt;
    private long nextSilenceCheck;

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
        sourceHeader = endpoint.getTransport() + ":" + endpoint.getAddress();
        nameHeader = endpoint.getName() != null && !endpoint.getName().isBlank() ? endpoint.getName() : null;
        String name = "tic-reader-" + endpoint.getTransport() + "-" + endpoint.getAddress();
        executor = endpoint.getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, name);
        executor.submit(this::supervise);
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

    /** How a source's opening ended: FAILED by an exception (already told), LOST at its end of stream. */
    private enum Outcome { STOPPED, FAILED, LOST, ENDED, NEXT_SPEED }

    /** Runs the read loop until the consumer stops or a finite source ends; restarts it when it fails. */
    private void supervise() {
        Backoff restarts = new Backoff(endpoint.getReconnectDelay(), endpoint.getMaxReconnectDelay());
        while (isRunAllowed() && !Thread.currentThread().isInterrupted()) {
            try {
                readLoop();
                return;
            } catch (Throwable failure) { // an Error too: the reader must not die silently
                if (!isRunAllowed()) {
                    return;
                }
                String error = failure.getClass().getSimpleName() + ": " + failure.getMessage();
                statistics.readerFailed(error);
                LOG.error("TIC reader of {} failed ({}); restarting it in {} ms", endpoint.getAddress(), error,
                        restarts.nextDelay());
                getExceptionHandler().handleException("TIC reader of " + endpoint.getAddress() + " failed", failure);
                if (!restarts.sleep()) {
                    return;
                }
            }
        }
    }

    private void readLoop() {
        ByteSource src = endpoint.createSource();
        source = src;
        MeterStream stream = new MeterStream(endpoint.decoderOptions(), endpoint.getMeterId(), this::emit,
                this::rejected);
        stream.onFrameNotInterpreted(this::notInterpreted);
        statistics.attach(stream);
        RawRecorder recorder = endpoint.createRecorder();
        backoff = new Backoff(endpoint.getReconnectDelay(), endpoint.getMaxReconnectDelay());
        BaudRateDetector detector = endpoint.detectsBaudRate()
                ? new BaudRateDetector((SerialByteSource) src, endpoint.getBaudDetectTimeout()) : null;
        boolean openedBefore = false;
        failing = false;
        receivedBefore = false;
        boolean nextSpeed = false;
        try {
            while (isRunAllowed() && !Thread.currentThread().isInterrupted()) {
                Outcome outcome;
                try {
                    src.open();
                    if (nextSpeed) { // the same opening, at another speed: readiness keeps counting
                        statistics.speedChanged(((SerialByteSource) src).baudRate());
                    } else {
                        opened(src, openedBefore);
                    }
                    openedBefore = true;
                    outcome = readUntilEnd(src, stream, recorder, detector);
                } catch (IOException | RuntimeException e) {
                    if (!isRunAllowed()) { // stopping: the source was closed under the reader, nothing was lost
                        return;
                    }
                    outcome = Outcome.FAILED;
                    statistics.disconnected(e.getMessage());
                    if (failing) {
                        LOG.debug("TIC source {} still failing: {}", src.describe(), e.getMessage());
                    } else {
                        outage(src, e, "TIC source " + src.describe() + ": " + e.getMessage() + "; retrying every "
                                + endpoint.getReconnectDelay() + "-" + endpoint.getMaxReconnectDelay() + " ms");
                    }
                } finally {
                    stream.endOfInput(); // a frame in progress is cut
                    sendBatch(); // the frames decoded before a failure of the read go on
                    src.close();
                }
                if (!isRunAllowed() || outcome == Outcome.STOPPED) {
                    return;
                }
                nextSpeed = outcome == Outcome.NEXT_SPEED; // a speed change is no reconnection
                if (outcome == Outcome.ENDED) {
                    if (!endpoint.isLoop()) {
                        statistics.finished();
                        LOG.info("TIC source {} replayed to its end: {}", src.describe(), statistics);
                        return;
                    }
                } else if (!nextSpeed) { // lost, or failed (told above)
                    if (outcome == Outcome.LOST) {
                        String reason = lostReason(src, stream);
                        statistics.disconnected(reason);
                        if (!failing) {
                            outage(src, new IOException(reason), "TIC " + reason + "; reopening in "
                                    + backoff.nextDelay() + " ms");
                        }
                    }
                    if (!backoff.sleep()) {
                        return;
                    }
                }
            }
        } finally {
            src.close();
            if (recorder != null) {
                recorder.close();
            }
        }
    }

    /**
     * The start of an outage (a source that cannot be opened, or lost): logged once, or with
     * {@code bridgeErrorHandler=true} handed to the route's error handler instead; a silence logged before is
     * superseded ("open again" ends both).
     */
    private void outage(ByteSource src, Exception cause, String line) {
        failing = true;
        silenceLoggedAt = 0;
        if (endpoint.isBridgeErrorHandler()) {
            getExceptionHandler().handleException("TIC source " + src.describe() + " failed", cause);
        } else {
            LOG.warn(line);
        }
    }

    /**
     * The source is open. Logged when no outage is on (a capture's later passes of a loop at DEBUG); during an
     * outage at DEBUG: the outage ends with its first frame ({@link #received}).
     */
    private void opened(ByteSource src, boolean openedBefore) {
        int baud = src instanceof SerialByteSource serial ? serial.baudRate() : 0;
        statistics.connected(System.currentTimeMillis(), baud);
        if (failing) {
            LOG.debug("TIC source {} open; the outage ends with its first frame", src.describe());
        } else if (openedBefore && src.finite()) {
            LOG.debug("TIC source {} open, next pass of the loop", src.describe());
        } else {
            LOG.info("TIC source {} open", src.describe());
        }
    }

    /** A frame came (a capture: its first bytes): an outage on ends here, once (a reconnection if one came before). */
    private void received(ByteSource src) {
        if (failing) {
            failing = false;
            if (receivedBefore && !src.finite()) {
                statistics.reconnected();
            }
            LOG.info("TIC source {} open{}", src.describe(), receivedBefore ? " again" : "");
        }
        receivedBefore = true;
        backoff.reset();
    }

    /** Whether this opening ends an outage: a frame came. */
    private boolean settled(MeterStream stream) {
        return stream.stats().framesDelivered() > framesBeforeOpening;
    }

    /** Why the source was lost: the end of its stream, or a bridge that closed it with no frame (what it said). */
    private String lostReason(ByteSource src, MeterStream stream) {
        if (bytesThisOpening == 0 || settled(stream)) {
            return "source " + src.describe() + " lost (end of stream)";
        }
        String closed = "source " + src.describe() + " closed after " + bytesThisOpening + " bytes and no frame";
        StringBuilder text = new StringBuilder(); // a message is quoted, noise is not
        for (int i = 0; i < Math.min(bytesThisOpening, firstBytes.length); i++) {
            int b = firstBytes[i] & 0x7F;
            if (b >= 0x20 && b < 0x7F) {
                text.append((char) b);
            } else if (b == '\r' || b == '\n' || b == '\t') {
                text.append(' ');
            } else {
                return closed;
            }
        }
        String said = text.toString().trim().replaceAll(" +", " ");
        return said.length() < 4 ? closed : closed + ": \"" + said + "\"";
    }

    /** Reads and decodes until the source ends or is lost, the consumer stops, or the speed must change. */
    private Outcome readUntilEnd(ByteSource src, MeterStream stream, RawRecorder recorder, BaudRateDetector detector)
            throws IOException {
        // a capture is read 64 KB at a time (as fast as possible: larger batches), a live source as it comes
        byte[] buffer = new byte[src.finite() ? 65536 : 4096];
        if (detector != null) {
            detector.opened(stream.stats().framesDelivered(), System.currentTimeMillis());
        }
        framesBeforeOpening = stream.stats().framesDelivered();
        bytesThisOpening = 0;
        while (isRunAllowed()) {
            int n = src.read(buffer);
            if (n == ByteSource.END) {
                return src.finite() ? Outcome.ENDED : Outcome.LOST;
            }
            if (n > 0) {
                if (bytesThisOpening < firstBytes.length) {
                    System.arraycopy(buffer, 0, firstBytes, (int) bytesThisOpening,
                            (int) Math.min(n, firstBytes.length - bytesThisOpening));
                }
                bytesThisOpening += n;
                statistics.bytesReceived(System.currentTimeMillis());
                if (recorder != null) {
                    String failure = recorder.record(buffer, n);
                    if (failure != null) {
                        LOG.warn("TIC source {}: {}; recording stopped, reading goes on", src.describe(), failure);
                    }
                }
                stream.feed(buffer, 0, n);
                if ((failing || !receivedBefore) && (settled(stream) || src.finite())) {
                    received(src);
                }
                sendBatch();
            }
            long now = System.currentTimeMillis();
            if (now >= nextSilenceCheck) {
                nextSilenceCheck = now + 1000;
                watchSilence(src, now);
            }
            if (detector != null && detector.switchIfSilent(stream.stats().framesDelivered(), now)) {
                LOG.info("TIC source {}: no valid frame, trying {} Bd", src.describe(),
                        ((SerialByteSource) src).baudRate());
                return Outcome.NEXT_SPEED;
            }
        }
        return Outcome.STOPPED;
    }

    /**
     * An open source with no valid frame for {@code noDataTimeout} (wrong speed, a meter or bridge gone quiet):
     * one WARN with the readiness reason, one INFO when a frame comes again.
     */
    private void watchSilence(ByteSource src, long now) {
        if (silenceLoggedAt == 0) {
            String reason = statistics.notReadyReason(now);
            if (reason != null && statistics.isConnected() && !statistics.isFinished()) {
                silenceLoggedAt = now;
                LOG.warn("TIC source {} is open but: {} (logged once until a frame comes)", src.describe(), reason);
            }
        } else if (statistics.getLastFrameTime() >= silenceLoggedAt) {
            silenceLoggedAt = 0;
            LOG.info("TIC source {}: frames again", src.describe());
        }
    }

    private void rejected(Rejection rejection) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("TIC {} rejected {} {}: {}", endpoint.getAddress(), rejection.wholeFrame() ? "frame" : "group",
                    rejection.reason(), rejection.detail());
        }
    }

    /** A frame whose interpretation threw: counted; the first one logged with its failure, later ones at DEBUG. */
    private void notInterpreted(TicFrame frame, RuntimeException failure) {
        String message = "TIC " + endpoint.getAddress() + ": a frame of " + frame.size()
                + " groups could not be interpreted, left out (" + failure + ")";
        if (statistics.getFramesNotInterpreted() == 1) {
            LOG.warn("{}; further ones are counted (tic.frames.uninterpreted) and logged at DEBUG", message, failure);
        } else {
            LOG.debug(message, failure);
        }
    }

    private void emit(MeterReading reading) {
        statistics.interpreted(reading.meterId(), reading.receivedAt());
        batch.add(reading);
    }

    /** Sends the frames of the last read, in order, one exchange each, with their place in the batch. */
    private void sendBatch() {
        int size = batch.size();
        for (int i = 0; i < size; i++) {
            send(batch.get(i), i, size);
        }
        batch.clear();
    }

    private void send(MeterReading reading, int index, int size) {
        if (!isRunAllowed()) { // stopping: the route no longer takes exchanges
            statistics.droppedWhileStopping();
            return;
        }
        if (isSuspendingOrSuspended()) {
            statistics.droppedWhileSuspended();
            return;
        }
        Exchange exchange = createExchange(false);
        try {
            exchange.setProperty(Exchange.BATCH_INDEX, index);
            exchange.setProperty(Exchange.BATCH_SIZE, size);
            exchange.setProperty(Exchange.BATCH_COMPLETE, index == size - 1);
            Message message = exchange.getMessage();
            message.setBody(reading);
            message.setHeader(TicConstants.METER_ID, reading.meterId());
            message.setHeader(TicConstants.METER_NAME, nameHeader != null ? nameHeader : reading.meterId());
            message.setHeader(TicConstants.MODE, reading.mode().id());
            if (reading.time() != null) {
                message.setHeader(TicConstants.FRAME_TIME, reading.time());
            }
            message.setHeader(TicConstants.RECEIVED_AT, reading.receivedAt());
            message.setHeader(TicConstants.SEQUENCE, reading.sequence());
            message.setHeader(TicConstants.SOURCE, sourceHeader);
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        } catch (Error e) { // a route's Error is this frame's failure, not the reader's
            exchange.setException(new CamelExchangeException("Error while routing the frame", exchange, e));
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
