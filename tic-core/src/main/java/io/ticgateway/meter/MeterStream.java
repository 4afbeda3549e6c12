package io.ticgateway.meter;

import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.protocol.DecoderStats;
import io.ticgateway.protocol.FrameDecoder;
import io.ticgateway.protocol.FrameListener;
import io.ticgateway.protocol.Rejection;
import io.ticgateway.protocol.TicFrame;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The one-way data path of one meter: bytes → {@link FrameDecoder} → {@link FrameInterpreter} → readings.
 *
 * <p>A frame whose interpretation throws (content no rule foresaw) is left out and counted, and the frames
 * after it, in the same bytes fed or later, go on: a defect met on one frame never ends the stream.
 *
 * <p>Not thread-safe: one thread feeds it (the transport's reader); its stats are readable anywhere.
 */
public final class MeterStream {

    private final FrameDecoder decoder;
    private final FrameInterpreter interpreter;
    private volatile long framesNotInterpreted;
    private BiConsumer<TicFrame, RuntimeException> notInterpreted = (frame, failure) -> { };

    /**
     * @param options     decoder options (mode, policy, parity)
     * @param meterId     meter id override, or null to read it from the frames
     * @param readings    receives each interpreted frame
     * @param rejections  receives each rejection (after it was counted), for logging
     * @param clock       epoch milliseconds stamped on frames
     */
    public MeterStream(DecoderOptions options, String meterId, Consumer<MeterReading> readings,
                       Consumer<Rejection> rejections, LongSupplier clock) {
        this(options, new FrameInterpreter(meterId), null, readings, rejections, clock);
    }

    /** A stream whose frames are interpreted by {@code interpretation} (tests: a failing interpretation). */
    MeterStream(DecoderOptions options, FrameInterpreter interpreter, Function<TicFrame, MeterReading> interpretation,
                Consumer<MeterReading> readings, Consumer<Rejection> rejections, LongSupplier clock) {
        this.interpreter = interpreter;
        Function<TicFrame, MeterReading> interpret = interpretation != null ? interpretation : interpreter::interpret;
        this.decoder = new FrameDecoder(new FrameListener() {
            @Override
            public void onFrame(TicFrame frame) {
                MeterReading reading;
                try {
                    reading = interpret.apply(frame);
                } catch (RuntimeException failure) {
                    framesNotInterpreted++; // one thread writes it
                    notInterpreted.accept(frame, failure);
                    return;
                }
                readings.accept(reading);
            }

            @Override
            public void onRejection(Rejection rejection) {
                interpreter.onRejection(rejection);
                rejections.accept(rejection);
            }
        }, options, clock);
    }

    /** A stream with the system clock. */
    public MeterStream(DecoderOptions options, String meterId, Consumer<MeterReading> readings,
                       Consumer<Rejection> rejections) {
        this(options, meterId, readings, rejections, System::currentTimeMillis);
    }

    /** Feeds received bytes. */
    public void feed(byte[] data, int offset, int length) {
        decoder.feed(data, offset, length);
    }

    /** The input ended or was cut: a frame in progress counts as truncated. */
    public void endOfInput() {
        decoder.endOfInput();
    }

    /** Receives each frame left out because its interpretation threw, with the failure (after it was counted). */
    public void onFrameNotInterpreted(BiConsumer<TicFrame, RuntimeException> listener) {
        this.notInterpreted = listener;
    }

    /** Frames the decoder delivered whose interpretation threw: left out of the readings. */
    public long framesNotInterpreted() {
        return framesNotInterpreted;
    }

    /** The decoder's counters. */
    public DecoderStats stats() {
        return decoder.stats();
    }

    /** The interpreter (unknown labels seen). */
    public FrameInterpreter interpreter() {
        return interpreter;
    }
}
