package io.ticgateway.app;

import io.ticgateway.app.GatewayConfig.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS socket factory of the MQTT connection, from PEM files as brokers hand them out: the CA that signed
 * the broker's certificate, and optionally a client certificate with its PKCS#8 key. Paho takes a socket
 * factory; nothing has to be converted to JKS or PKCS12 by hand.
 */
public final class MqttTls {

    private MqttTls() {
    }

    /**
     * @param caPem   PEM file of the CA certificate(s) to trust; null or empty: the JVM's trust store
     * @param certPem PEM file of the client certificate chain; null or empty: no client certificate
     * @param keyPem  PEM file of the client's private key, PKCS#8 ("BEGIN PRIVATE KEY"), unencrypted
     * @throws ConfigException naming the key of a file that cannot be read or used
     */
    public static SSLSocketFactory socketFactory(String caPem, String certPem, String keyPem) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (isSet(caPem)) {
                KeyStore cas = emptyStore();
                int n = 0;
                for (Certificate ca : certificates(caPem, "tic.mqtt.tls.ca")) {
                    cas.setCertificateEntry("ca-" + n++, ca);
                }
                trust.init(cas);
            } else {
                trust.init((KeyStore) null);
            }
            KeyManagerFactory keys = null;
            if (isSet(certPem) || isSet(keyPem)) {
                if (!isSet(certPem) || !isSet(keyPem)) {
                    throw new ConfigException("tic.mqtt.tls.cert and tic.mqtt.tls.key: a client certificate needs both");
                }
                KeyStore client = emptyStore();
                client.setKeyEntry("client", privateKey(keyPem), new char[0],
                        certificates(certPem, "tic.mqtt.tls.cert").toArray(new Certificate[0]));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(client, new char[0]);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("tic.mqtt.tls: " + e.getMessage());
        }
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static Collection<? extends Certificate> certificates(String file, String key) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new ConfigException(key + ": no certificate in " + file);
            }
            return certificates;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException(key + ": " + file + " not found");
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(key + ": " + file + ": " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(String file) {
        String pem;
        try {
            pem = Files.readString(Path.of(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException("tic.mqtt.tls.key: " + file + " not found");
        } catch (IOException e) {
            throw new ConfigException("tic.mqtt.tls.key: " + file + ": " + e.getMessage());
        }
        if (!pem.contains("BEGIN PRIVATE KEY")) {
            throw new ConfigException("tic.mqtt.tls.key: " + file + " is not an unencrypted PKCS#8 key (convert it with"
                    + " openssl pkcs8 -topk8 -nocrypt)");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisOne) {
                // try the next algorithm
            }
        }
        throw new ConfigException("tic.mqtt.tls.key: " + file + ": neither an RSA nor an EC key");
    }
}
