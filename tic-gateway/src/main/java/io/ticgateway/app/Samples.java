package io.ticgateway.app;

import java.io.InputStream;
import java.util.List;

/** The real captures bundled in the jar ({@code src/main/resources/samples}, see its SOURCES.md). */
public final class Samples {

    /** Names accepted by {@link #open(String)}. */
    public static final List<String> NAMES = List.of("linky-standard", "linky-historic", "pmepmi");

    private Samples() {
    }

    /** The sample's bytes, or null for an unknown name. */
    public static InputStream open(String name) {
        if (!NAMES.contains(name)) {
            return null;
        }
        return Samples.class.getResourceAsStream("/samples/" + name + ".bin");
    }
}
