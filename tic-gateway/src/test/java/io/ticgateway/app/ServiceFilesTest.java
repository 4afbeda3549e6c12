package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The systemd unit and the udev rule of config/, read as systemd and udev read them. */
class ServiceFilesTest {

    private static final Path UNIT = Path.of("../config/systemd/tic-gateway.service");

    @Test
    void systemdAcceptsTheUnitWithoutAWarning() throws Exception {
        Process verify = new ProcessBuilder("systemd-analyze", "verify", UNIT.toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(verify.exitValue()).as(output).isZero();
        assertThat(output).as("unknown keys, bad values").isBlank();
    }

    @Test
    void theUnitIsHardenedAndDoesNotRestartOnAConfigurationError() throws Exception {
        List<String> lines = Files.readAllLines(UNIT);
        assertThat(lines).contains("NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes",
                "ReadWritePaths=/var/lib/tic-gateway", "Group=dialout", "Restart=on-failure",
                "RestartPreventExitStatus=3", "Environment=TZ=Europe/Paris", "DevicePolicy=closed");
        // the flags docs/performance.md measured
        String unit = Files.readString(UNIT).replace("\\\n    ", "");
        String performance = Files.readString(Path.of("../docs/performance.md"));
        String flags = "-XX:+UseSerialGC -Xss256k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m "
                + "-XX:MaxDirectMemorySize=32m -Xmx64m";
        // and a process short of memory ends rather than running on half-broken: killed under systemd (so that
        // Restart=on-failure applies: ExitOnOutOfMemoryError exits 3, the configuration error status that
        // RestartPreventExitStatus keeps down), exiting in the image (Docker restarts whatever the status)
        assertThat(unit).contains("ExecStart=/usr/bin/java " + flags + " \"-XX:OnOutOfMemoryError=kill -9 %%p\""
                + " -jar /opt/tic-gateway/tic-gateway.jar");
        assertThat(performance).contains(flags);
        assertThat(Files.readString(Path.of("../docker/Dockerfile")))
                .contains("JAVA_TOOL_OPTIONS=\"" + flags + " -XX:+ExitOnOutOfMemoryError\"");
    }

    @Test
    void everyUdevRuleNamesATicDeviceInTheSerialGroup() throws Exception {
        List<String> rules = Files.readAllLines(Path.of("../config/udev/99-tic.rules")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(rules).isNotEmpty().allSatisfy(rule -> assertThat(rule)
                .matches("SUBSYSTEM==\"tty\", ATTRS\\{idVendor}==\"[0-9a-f]{4}\", ATTRS\\{idProduct}==\"[0-9a-f]{4}\", "
                        + "ATTRS\\{serial}==\"[^\"]+\", SYMLINK\\+=\"tic\\d+\", GROUP=\"dialout\", MODE=\"0660\""));
    }
}
