package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticgateway.Corpus;
import io.ticgateway.UartLine;
import io.ticgateway.UartLine.Format;
import io.ticgateway.peers.Chromium;
import io.ticgateway.peers.ExternalProcess;
import io.ticgateway.peers.PtyPair;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real browser (headless Chromium through WebDriver), behind basic authentication,
 * while the gateway reads two simulated Linky (standard, historic) and a serial port (a socat pty) that
 * carries a standard-mode Linky's line as a port set to 1200 Bd receives it: the values appear and change,
 * coded values read in words, the wrong port shows its diagnosis, and a screenshot is saved to
 * {@code target/status-page.png}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageBrowserTest {

    @TempDir
    static Path dir;

    private PtyPair pty;
    private Thread garbageWriter;
    private final AtomicReference<Exception> writerFailure = new AtomicReference<>();
    private GatewayMain gateway;
    private Chromium browser;
    private int port;

    @BeforeAll
    void start() throws Exception {
        pty = new PtyPair(dir).start();
        byte[] garbage = UartLine.receive(Corpus.bytes(Corpus.STANDARD_LAINS), 9600, Format.SEVEN_EVEN_ONE, 1200,
                Format.SEVEN_EVEN_ONE);
        garbageWriter = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(pty.meterEnd())) {
                while (!Thread.currentThread().isInterrupted()) {
                    PtyPair.writePaced(out, garbage, 1200);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                writerFailure.set(e);
            }
        }, "garbage-writer");
        garbageWriter.start();

        port = ExternalProcess.freePort();
        Path users = Files.writeString(dir.resolve("users.properties"), "user.installer = s3cret,reader\nrole.reader = *\n");
        Path config = Files.writeString(dir.resolve("application.properties"), String.join("\n",
                "tic.meters = home, garage, cellar",
                "tic.meter.home.source = tic:simulator:linky-standard",
                "tic.meter.home.family = standard",
                "tic.meter.cellar.source = tic:simulator:linky-historic",
                "tic.meter.cellar.family = historic",
                "tic.meter.garage.source = tic:serial:" + pty.gatewayEnd() + "?mode=historic",
                "tic.meter.garage.family = historic",
                "tic.routes.dir = " + Path.of("../routes").toAbsolutePath(),
                "tic.state.file = " + dir.resolve("state.json"),
                "tic.spool.file = " + dir.resolve("spool/spool.db"),
                "tic.files.dir = " + dir.resolve("frames"),
                "camel.server.port = " + port,
                "camel.server.authenticationEnabled = true",
                "camel.server.basicPropertiesFile = " + users, ""));
        gateway = new GatewayMain(config, name -> null);
        gateway.start();
        browser = new Chromium(Files.createDirectories(dir.resolve("chromium"))).start(480, 1600);
        browser.open("http://installer:s3cret@127.0.0.1:" + port + "/");
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (gateway != null) {
            gateway.stop();
        }
        if (garbageWriter != null) {
            garbageWriter.interrupt();
            garbageWriter.join(5000);
        }
        if (pty != null) {
            pty.close();
        }
    }

    /** The text of the first element matching a CSS selector, or null. */
    private String text(String selector) throws Exception {
        return property(selector, "textContent");
    }

    /** A property (textContent, className) of the first element matching a CSS selector, or null. */
    private String property(String selector, String property) throws Exception {
        String quoted = selector.replace("\\", "\\\\").replace("'", "\\'");
        var value = browser.script("const e = document.querySelector('" + quoted + "'); return e ? e." + property
                + " : null;");
        return value.isNull() ? null : value.asText();
    }

    @Test
    void theValuesOfTheSimulatedLinkyAppearAndChange() throws Exception {
        String energy = "[data-meter=home] [data-label=EAST]";
        await().atMost(Duration.ofSeconds(60)).until(() -> text(energy) != null);
        String first = text(energy);
        assertThat(first).endsWith(" Wh");
        assertThat(text("[data-meter=home] [data-label=SINSTS]")).endsWith(" VA");
        assertThat(text("[data-meter=home] [data-label=URMS1]")).endsWith(" V");
        assertThat(text("[data-meter=home] .diagnosis")).startsWith("Frames arrive");
        await().atMost(Duration.ofSeconds(60)).until(() -> !first.equals(text(energy)));
        await().atMost(Duration.ofSeconds(60)).until(() -> text("[data-meter=home] svg.chart polyline") != null);
    }

    @Test
    void codedValuesAreShownInWordsAndOnlyAlarmsInRed() throws Exception {
        String period = "[data-meter=cellar] [data-label=PTEC]";
        await().atMost(Duration.ofSeconds(60)).until(() -> text(period) != null);
        assertThat(text(period)).isIn("Heures creuses (off-peak)", "Heures pleines (peak)");
        String colour = "[data-meter=home] [data-label=\"STGE.couleurDemain\"]";
        await().atMost(Duration.ofSeconds(60)).until(() -> text(colour) != null);
        assertThat(text(colour)).isIn("Non annoncé (not announced)", "Bleu (blue)", "Blanc (white)", "Rouge (red)");
        // the simulated Linky's dry contact is open: said, not shown as an alarm
        String contact = "[data-meter=home] [data-label=\"STGE.contactSecOuvert\"] span";
        assertThat(text(contact)).isEqualTo("yes");
        assertThat(property(contact, "className")).isEqualTo("number");
    }

    @Test
    void thePortFedAtTheWrongSpeedShowsItsDiagnosis() throws Exception {
        String code = "[data-meter=garage] .diagnosis[data-code=wrong-speed]";
        await().atMost(Duration.ofSeconds(60)).until(() -> text(code) != null);
        assertThat(writerFailure.get()).isNull();
        assertThat(text(code)).contains("looks like the other baud rate", "1200 Bd", "9600 Bd");
        assertThat(text("[data-meter=garage] .badge")).isEqualTo("WRONG SPEED");

        await().atMost(Duration.ofSeconds(60)).until(() -> text("[data-meter=home] [data-label=EAST]") != null);
        Path shot = Path.of("target/status-page.png");
        Files.write(shot, browser.screenshot());
        assertThat(Files.size(shot)).isPositive();
    }
}
