package io.ticgateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticgateway.peers.ExternalProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** camel-main's basic authentication, as the gateway configures it: every URL needs the credentials. */
class HttpAuthenticationTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private int status(int port, String path, String credentials) throws Exception {
        return status(port, "GET", path, credentials);
    }

    private int status(int port, String method, String path, String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (credentials != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void everyUrlNeedsTheCredentials() throws Exception {
        Path users = Files.writeString(dir.resolve("users.properties"), "user.zabbix = s3cret,reader\nrole.reader = *\n");
        int port = ExternalProcess.freePort();
        Path config = Files.writeString(dir.resolve("application.properties"), String.join("\n",
                "tic.meters = linky",
                "tic.meter.linky.source = tic:simulator:linky-standard?pace=realtime&baudRate=38400",
                "tic.meter.linky.family = standard",
                "tic.routes.dir = " + Path.of("../routes").toAbsolutePath(),
                "tic.state.file = " + dir.resolve("state.json"),
                "tic.files.enabled = false",
                "camel.server.port = " + port,
                "camel.server.authenticationEnabled = true",
                "camel.server.basicPropertiesFile = " + users, ""));
        GatewayMain gateway = new GatewayMain(config, name -> null);
        try {
            gateway.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> status(port, "/api/meters/linky", "zabbix:s3cret") == 200);
            for (String path : new String[] {"/api/meters", "/get_donnee?tarif=INDEP_TARIF&etiquette=ADSC",
                    "/zabbix_autoconf", "/observe/metrics", "/observe/health", "/observe/health/ready"}) {
                assertThat(status(port, path, null)).as(path + " without credentials").isEqualTo(401);
                assertThat(status(port, path, "zabbix:wrong")).as(path + " with a wrong password").isEqualTo(401);
                assertThat(status(port, "HEAD", path, null)).as("HEAD " + path + " without credentials").isEqualTo(401);
            }
            // the liveness probe needs none (it says UP and nothing else)
            assertThat(status(port, "/observe/health/live", null)).isEqualTo(200);
            assertThat(status(port, "/observe/health/ready", "zabbix:s3cret")).isEqualTo(200);
            assertThat(status(port, "HEAD", "/api/meters", "zabbix:s3cret")).isEqualTo(200);
            assertThat(status(port, "/get_donnee?tarif=INDEP_TARIF&etiquette=ADSC", "zabbix:s3cret")).isEqualTo(200);
        } finally {
            gateway.stop();
        }
    }
}
