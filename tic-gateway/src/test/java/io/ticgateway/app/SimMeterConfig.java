package io.ticgateway.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A test gateway's configuration file: one simulated Linky standard meter {@code sim}, its data in a folder. */
final class SimMeterConfig {

    private SimMeterConfig() {
    }

    /** Writes {@code dir/name}: the meter, the routes, state, spool and files under {@code dir/data}, then {@code more}. */
    static Path write(Path dir, String name, int port, String... more) throws java.io.IOException {
        return writeWithSource(dir, name, port, "tic:simulator:linky-standard", more);
    }

    /** The same, the meter read from {@code source} (a simulator's pace or speed). */
    static Path writeWithSource(Path dir, String name, int port, String source, String... more) throws java.io.IOException {
        List<String> lines = new ArrayList<>(List.of(
                "tic.meters = sim",
                "tic.meter.sim.source = " + source,
                "tic.meter.sim.family = standard",
                "tic.routes.dir = " + Path.of("../routes").toAbsolutePath(),
                "tic.state.file = " + dir.resolve("data/state.json"),
                "tic.spool.file = " + dir.resolve("data/spool/spool.db"),
                "tic.files.dir = " + dir.resolve("data/frames"),
                "camel.server.port = " + port));
        lines.addAll(List.of(more));
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }
}
