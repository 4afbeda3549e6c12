package io.ticgateway.protocol;

/** Receives what a {@link FrameDecoder} finds, on the thread that feeds the decoder. */
public interface FrameListener {

    /** A frame that passed the validity policy. */
    void onFrame(TicFrame frame);

    /** A rejected group or frame; called after the counters were updated. */
    default void onRejection(Rejection rejection) {
    }
}
