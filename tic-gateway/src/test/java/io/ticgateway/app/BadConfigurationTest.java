package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A bad configuration stops the start with one line naming the key, before anything runs. */
class BadConfigurationTest {

    @TempDir
    Path dir;

    @org.junit.jupiter.api.Test
    void aSpoolHeldByAnotherProcessIsAStartUpErrorTheServiceRetries() throws Exception {
        Path spool = dir.resolve("held/spool.db");
        try (io.ticgateway.app.delivery.Spool held = io.ticgateway.app.delivery.Spool.open(spool)) {
            held.append(java.util.List.of(new io.ticgateway.app.delivery.Spool.Entry("influxdb", "m", "p",
                    io.ticgateway.app.delivery.PointClock.NONE))); // its exclusive lock, as a running gateway's
            Path config = dir.resolve("held.properties");
            Files.writeString(config, String.join("\n", "tic.meters = m", "tic.meter.m.source = tic:simulator:linky-historic",
                    "tic.meter.m.family = historic", "tic.influxdb.enabled = true", "tic.spool.file = " + spool, ""));
            StringWriter err = new StringWriter();
            CommandLine cli = TicGatewayCli.commandLine();
            cli.setErr(new PrintWriter(err));
            assertThat(cli.execute("--config", config.toString())).isEqualTo(1); // not 3: systemd restarts it
            assertThat(err.toString().trim().lines().count()).as(err.toString()).isEqualTo(1);
            assertThat(err.toString()).startsWith("tic-gateway: start-up error: tic.spool.file: ")
                    .contains("another process holds it");
        }
    }

    @org.junit.jupiter.api.Test
    void aConfigurationThatIsMissingOrNoRegularFileIsOneLine() {
        StringWriter err = new StringWriter();
        CommandLine cli = TicGatewayCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("--config", dir.resolve("nope.properties").toString())).isEqualTo(3);
        assertThat(err.toString()).contains("configuration file " + dir.resolve("nope.properties") + " not found");
        assertThat(cli.execute("--config", dir.toString())).isEqualTo(3);
        assertThat(err.toString()).contains("configuration file " + dir + " is not a regular file");
        assertThat(cli.execute("--config", "")).isEqualTo(3);
        assertThat(err.toString()).contains("--config names no file");
    }

    @org.junit.jupiter.api.Test
    void aMetersFilesFolderThatCannotBeWrittenIsOneLine() throws Exception {
        // the files folder is fine, the meter's own in it is not (here a file in its way; a folder left by root)
        Path frames = Files.createDirectories(dir.resolve("frames"));
        Files.writeString(frames.resolve("m"), "not a folder");
        Path config = Files.writeString(dir.resolve("meter-folder.properties"), String.join("\n", "tic.meters = m",
                "tic.meter.m.source = tic:simulator:linky-historic", "tic.meter.m.family = historic",
                "tic.files.dir = " + frames, "tic.state.file = " + dir.resolve("state.json"), ""));
        StringWriter err = new StringWriter();
        CommandLine cli = TicGatewayCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("--config", config.toString())).isEqualTo(3);
        assertThat(err.toString().trim()).isEqualTo("tic-gateway: configuration error: tic.files.dir: cannot write to "
                + frames.resolve("m") + ": a file is in the way of the folder");
        // the same left-over for a meter whose family sends nothing to the files is no reason to refuse
        Files.writeString(config, String.join("\n", "tic.influxdb.enabled = true", "tic.family.historic.sinks = influxdb",
                "camel.server.port = " + io.ticgateway.peers.ExternalProcess.freePort(), ""),
                java.nio.file.StandardOpenOption.APPEND);
        StartupChecks.run(GatewayConfig.load(config, name -> null)); // no refusal
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown family|tic.meter.m.family = gas|tic.meter.m.family: unknown family 'gas'",
        "missing port|tic.meter.m.source = tic:serial:|tic.meter.m.source: tic: an address is required",
        "tcp without port|tic.meter.m.source = tic:tcp:bridge.local|tic.meter.m.source: tic:tcp address must be host:port",
        "malformed URI|tic.meter.m.source = tic:modem:/dev/ttyS0|tic.meter.m.source: tic: unknown transport 'modem'",
        "bad option value|tic.meter.m.source = tic:file:x.bin?mode=turbo|tic.meter.m.source: tic: option mode=turbo is not one of auto, standard, historic, pmepmi",
        "not a tic URI|tic.meter.m.source = file:x.bin|tic.meter.m.source: must be a tic: URI",
        "bad number|tic.influxdb.batch-size = ten|tic.influxdb.batch-size: not a whole number: 'ten'",
        "negative number|tic.mqtt.interval = -5|tic.mqtt.interval: must not be negative",
        "MQTT URL out of range|tic.mqtt.enabled = true\\ntic.mqtt.url = tcp://127.0.0.1:999999|tic.mqtt.url: not a tcp://, ssl://, ws:// or wss://host:port URL",
        "MQTT URL scheme|tic.mqtt.enabled = true\\ntic.mqtt.url = htp://broker|tic.mqtt.url: not a tcp://",
        "Kafka port out of range|tic.kafka.enabled = true\\ntic.kafka.brokers = 127.0.0.1:999999|tic.kafka.brokers: expected host:port",
        "bad auth waiver|tic.http.auth = optional|tic.http.auth: expected required or none",
        "meter not declared|tic.meter.cave.family = historic|tic.meter.cave.family: meter 'cave' is not in tic.meters (m)",
        "baud rate not a number|tic.meter.m.source = tic:simulator:linky-historic?baudRate=fast|tic.meter.m.source: tic: option baudRate=fast is not a whole number",
        "two meters on one source|tic.meters = m, n\\ntic.meter.n.source = tic:simulator:linky-historic\\ntic.meter.n.family = historic|tic.meter.n.source: the same as tic.meter.m.source",
        "bad boolean|tic.mqtt.enabled = yes|tic.mqtt.enabled: expected true or false",
        "no meter|tic.meters = |tic.meters: no meter declared",
        "misspelt sink key|tic.influxdb.enable = true|tic.influxdb.enable: unknown key (did you mean tic.influxdb.enabled?)",
        "misspelt meter key|tic.meter.m.sorce = tic:simulator:linky-historic|tic.meter.m.sorce: unknown key (did you mean tic.meter.<name>.source?)",
        "malformed escape|tic.mqtt.prefix = a\\u12|cannot read ",
        "port out of range|camel.server.port = 99999|camel.server.port: must be 1-65535, was 99999",
        "open to the network|camel.server.host = 0.0.0.0|camel.server.host: 0.0.0.0 opens the API to the network without authentication",
        "authentication with no mechanism|camel.server.authenticationEnabled = true|camel.server.authenticationEnabled: true but no mechanism",
        "unreadable users file|camel.server.authenticationEnabled = true\\ncamel.server.basicPropertiesFile = /nonexistent/users|camel.server.basicPropertiesFile: /nonexistent/users cannot be read",
        "users file that is a directory (Docker's mount of a missing file)|camel.server.authenticationEnabled = true\\ncamel.server.basicPropertiesFile = /tmp|camel.server.basicPropertiesFile: /tmp is a directory, not a file",
        "bad InfluxDB URL|tic.influxdb.enabled = true\\ntic.influxdb.url = http://localhost:999999|tic.influxdb.url: not an http(s)://host:port URL",
        "spool that is not a database|tic.influxdb.enabled = true\\ntic.spool.file = /proc/version|tic.spool.file: ",
        "separate management port|camel.management.port = 9999|camel.management.port: must be camel.server.port (8080), was 9999",
        "queue of size 0|tic.sink.queue-size = 0|tic.sink.queue-size: must be at least 1, was 0",
        "batch of size 0|tic.influxdb.batch-size = 0|tic.influxdb.batch-size: must be at least 1, was 0",
        "batch beyond an int|tic.spool.catch-up-batch-size = 4294967295|tic.spool.catch-up-batch-size: must be at most 2147483647, was 4294967295",
        "unknown files format|tic.files.format = short|tic.files.format: expected full or compact, was 'short'",
        "Kafka delivery shorter than a request|tic.kafka.enabled = true\\ntic.kafka.delivery-timeout = 5000|tic.kafka.delivery-timeout: must be at least tic.kafka.request-timeout + 5 (10005), was 5000",
        "files folder that cannot be made|tic.files.dir = /proc/version/frames|tic.files.dir: cannot write to /proc/version/frames: ",
        "state folder that is a file|tic.state.file = /proc/version/state.json|tic.state.file: cannot write to /proc/version: a file is in the way of the folder",
        "state file that is a folder|tic.state.file = /tmp|tic.state.file: /tmp is a folder; name a file in it",
        "unknown Kafka codec|tic.kafka.enabled = true\\ntic.kafka.compression = lz5|tic.kafka.compression: expected none, lz4, zstd, snappy, gzip, was 'lz5'",
    })
    void oneClearLineNamingTheKey(String name, String line, String expected) throws Exception {
        Path config = dir.resolve("application.properties");
        Files.writeString(config, String.join("\n", "tic.meters = m", "tic.meter.m.source = tic:simulator:linky-historic",
                "tic.meter.m.family = historic", "tic.files.dir = " + dir.resolve("frames"),
                "tic.state.file = " + dir.resolve("state.json"), line.replace("\\n", "\n"), ""));
        StringWriter err = new StringWriter();
        CommandLine cli = TicGatewayCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("--config", config.toString())).isEqualTo(3);
        assertThat(err.toString().trim().lines().count()).as(err.toString()).isEqualTo(1);
        assertThat(err.toString()).startsWith("tic-gateway: configuration error: " + expected);
    }
}
