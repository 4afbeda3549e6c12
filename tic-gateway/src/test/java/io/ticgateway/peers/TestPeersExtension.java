package io.ticgateway.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives tests real peers: a parameter of type {@link InfluxDb}, {@link Mosquitto} or {@link Kafka}
 * gets an instance started on free loopback ports with a temporary config and data folder (Debian's
 * {@code influxd} and {@code mosquitto}; {@code .ci/install-test-peers} installs them). One instance of each
 * per test class, stopped and deleted after the class. No Docker.
 */
public final class TestPeersExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestPeersExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == InfluxDb.class || type == Mosquitto.class || type == Kafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(type, t -> start(type), Peer.class).peer();
    }

    private static Peer start(Class<?> type) {
        try {
            Path dir = Files.createTempDirectory("tic-peer-" + type.getSimpleName().toLowerCase());
            AutoCloseable peer = type == InfluxDb.class ? new InfluxDb(dir).start()
                    : type == Kafka.class ? new Kafka(dir).start() : new Mosquitto(dir).start();
            return new Peer(peer, dir);
        } catch (IOException e) {
            throw new ParameterResolutionException("cannot start " + type.getSimpleName() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParameterResolutionException("interrupted while starting " + type.getSimpleName(), e);
        }
    }

    /** A started peer and its folder, closed and deleted by JUnit with the class's store. */
    private record Peer(AutoCloseable peer, Path dir) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Throwable {
            peer.close();
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
