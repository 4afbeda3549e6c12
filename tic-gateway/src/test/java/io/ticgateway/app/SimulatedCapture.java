package io.ticgateway.app;

import io.ticgateway.simulator.MeterSimulator;
import io.ticgateway.simulator.SimulatedFamily;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Captures of a simulated meter, as many frames as a test needs, the same bytes every time. */
final class SimulatedCapture {

    /** 2026-01-05T00:00:00Z: a fixed start, so that every run gives the same frames and times. */
    static final long START = 1_767_571_200_000L;

    private SimulatedCapture() {
    }

    /** Writes {@code frames} frames of a simulated Linky in standard mode to {@code file}. */
    static Path standard(Path file, int frames) throws IOException {
        return standard(file, frames, "041876543210");
    }

    /** Writes {@code frames} frames of a simulated Linky in standard mode with the serial number {@code meterId}. */
    static Path standard(Path file, int frames, String meterId) throws IOException {
        MeterSimulator simulator = new MeterSimulator(SimulatedFamily.LINKY_STANDARD, meterId, 0, START, 7);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            for (int n = 0; n < frames; n++) {
                out.write(simulator.nextFrame());
            }
        }
        return file;
    }
}
