package io.ticgateway.peers;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A real MQTT subscriber (Eclipse Paho v5) recording what a broker delivers on a topic filter. */
public final class MqttProbe implements AutoCloseable {

    /** One received message, and when it arrived ({@link System#nanoTime()}, for latency benchmarks). */
    public record Received(String topic, String payload, boolean retained, long arrivedNanos) {
    }

    private final MqttClient client;
    private final List<Received> messages = new CopyOnWriteArrayList<>();
    private final Map<String, String> last = new ConcurrentHashMap<>();

    public MqttProbe(String url, String filter) throws MqttException {
        client = new MqttClient(url, "probe-" + System.nanoTime(), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                long arrived = System.nanoTime();
                String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
                messages.add(new Received(topic, payload, message.isRetained(), arrived));
                last.put(topic, payload);
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options);
        client.subscribe(filter, 1);
    }

    public List<Received> messages() {
        return messages;
    }

    /** The last payload received on a topic, or null. */
    public String last(String topic) {
        return last.get(topic);
    }

    /** Publishes (as Home Assistant would its status). */
    public void publish(String topic, String payload, boolean retained) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        message.setRetained(retained);
        client.publish(topic, message);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
