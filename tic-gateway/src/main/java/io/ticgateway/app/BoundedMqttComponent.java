package io.ticgateway.app;

import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5ComponentConfigurer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Consumer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5EndpointConfigurer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Producer;
import org.apache.camel.spi.PropertyConfigurer;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-paho-mqtt5 whose waits for the broker are bounded (tic.mqtt.connection-timeout). Paho's
 * {@link MqttClient} waits for the broker's answer (CONNACK, SUBACK, PUBACK) without limit unless given a
 * {@link MqttClient#setTimeToWait time to wait}, and the component makes its clients with none: a broker that
 * took the TCP connection and never answered held the Home Assistant status subscription's start (and with it
 * the CamelContext's start, and the route controller's lock that a stop needs) and the producer's first
 * publish forever. Here the consumer and the producer connect a client made as the component makes it, with
 * that time to wait (and Paho's connection timeout for the TCP connection), then hand it to Camel's own
 * consumer and producer, which subscribe and publish with it as before (Paho reconnects it after a lost
 * connection). A connection that timed out is closed, not left waiting for its answer; so is one still
 * waiting when the gateway stops ({@link #abortConnecting}). Bound in the registry as {@code paho-mqtt5}.
 */
public final class BoundedMqttComponent extends PahoMqtt5Component {

    private static final Logger LOG = LoggerFactory.getLogger(BoundedMqttComponent.class);

    private final long timeoutMillis;
    /** Clients waiting for the broker's CONNACK, and the thread that waits for each (guarded by itself). */
    private final Map<MqttClient, Thread> connecting = new HashMap<>();
    private volatile boolean stopping;

    /** @param timeoutMillis how long a connection, subscription or publish waits for the broker (at least 1) */
    public BoundedMqttComponent(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
        // Paho's connectionTimeout (s) bounds the TCP connection (and a TLS handshake) only
        getConfiguration().setConnectionTimeout((int) Math.max(1, (timeoutMillis + 999) / 1000));
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        BoundedEndpoint endpoint = new BoundedEndpoint(uri, remaining, getConfiguration().copy());
        endpoint.setClient(getClient());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    // the generated configurers are found by the component's name, which a subclass does not carry
    @Override
    public PropertyConfigurer getComponentPropertyConfigurer() {
        return new PahoMqtt5ComponentConfigurer();
    }

    @Override
    public PropertyConfigurer getEndpointPropertyConfigurer() {
        return new PahoMqtt5EndpointConfigurer();
    }

    /**
     * The gateway stops: the connections still waiting for the broker's answer end at once, failed (their
     * thread, a route's, is interrupted: Paho's forcible disconnect does not wake the wait), and no new one is
     * tried. Connected clients are left to Camel's stop.
     */
    public void abortConnecting() {
        stopping = true;
        synchronized (connecting) {
            connecting.values().forEach(Thread::interrupt);
        }
    }

    /** Disconnects (as Camel does, no quiescing: the publishes are synchronous), or drops a connection still waiting for its CONNACK. */
    private void release(MqttClient client) {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(0); // a forcible one sending DISCONNECT waits its whole timeout (Paho 1.2.5)
            } else {
                client.disconnectForcibly(0, 0, false);
            }
        } catch (MqttException | RuntimeException e) {
            LOG.debug("Closing MQTT client {}: {}", client.getClientId(), e.getMessage());
        }
        try {
            client.close();
        } catch (MqttException | RuntimeException e) {
            LOG.debug("Closing MQTT client {}: {}", client.getClientId(), e.getMessage());
        }
    }

    private final class BoundedEndpoint extends PahoMqtt5Endpoint {

        BoundedEndpoint(String uri, String topic, PahoMqtt5Configuration configuration) {
            super(uri, topic, BoundedMqttComponent.this, configuration);
        }

        /** A connected client, made as Camel's consumer and producer make theirs, its waits bounded. */
        MqttClient connect() throws MqttException {
            if (stopping) {
                throw new IllegalStateException("the gateway stops: no new MQTT connection");
            }
            PahoMqtt5Configuration c = getConfiguration();
            MqttClient client = new MqttClient(c.getBrokerUrl(), c.getClientId() != null ? c.getClientId()
                    : generateClientId(), createMqttClientPersistence(c));
            client.setTimeToWait(timeoutMillis);
            client.setManualAcks(c.isManualAcksEnabled());
            synchronized (connecting) {
                connecting.put(client, Thread.currentThread());
            }
            try {
                client.connect(createMqttConnectionOptions());
                if (stopping) {
                    throw new IllegalStateException("the gateway stops: no new MQTT connection");
                }
                return client;
            } catch (MqttException | RuntimeException e) {
                release(client); // a timed-out connection would wait on, its socket and threads with it
                if (stopping) {
                    throw new IllegalStateException("the gateway stops: MQTT connection not completed", e);
                }
                throw e;
            } finally {
                synchronized (connecting) {
                    connecting.remove(client);
                    if (stopping) {
                        Thread.interrupted(); // abortConnecting's, come after the wait: this thread goes on
                    }
                }
            }
        }

        @Override
        public Producer createProducer() throws Exception {
            if (getClient() != null) {
                return super.createProducer(); // a client of the user's: its own waits
            }
            return new PahoMqtt5Producer(this) {
                @Override
                protected void doStart() throws Exception {
                    setClient(connect());
                    super.doStart();
                }

                @Override
                protected void doStop() throws Exception {
                    MqttClient client = getClient();
                    super.doStop(); // disconnects only the clients it made
                    release(client);
                }
            };
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            if (getClient() != null) {
                return super.createConsumer(processor);
            }
            PahoMqtt5Consumer consumer = new PahoMqtt5Consumer(this, processor) {
                @Override
                protected void doStart() throws Exception {
                    setClient(connect());
                    super.doStart(); // subscribes, and again after each reconnection
                }

                @Override
                protected void doStop() throws Exception {
                    MqttClient client = getClient();
                    super.doStop(); // disconnects only the clients it made
                    release(client);
                }
            };
            configureConsumer(consumer);
            return consumer;
        }
    }
}
