package dev.dmreconciler.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import io.vertx.ext.web.client.WebClientOptions;
import java.security.GeneralSecurityException;
import java.io.IOException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * fabric8's Vert.x HTTP client with TLS done by OpenSSL (netty-tcnative's BoringSSL) instead of the JDK's SSLEngine.
 * Why: one-shot commands run C1-compiled code only (bin/reconciler), and C1 has none of the AES and GHASH
 * intrinsics, so the JDK encrypted every TLS record in plain Java: AES-GCM was about a third of the HTTP thread's CPU
 * in a cold apply. BoringSSL uses AES-NI whatever the JIT.
 *
 * <p>Same trust and identity as fabric8's own TLS setup: the key and trust managers are the ones fabric8 derives from
 * the same {@link Config} (CA, client certificate, {@code insecure-skip-tls-verify}); Vert.x verifies the host name as
 * before ({@code verifyHost}, endpoint identification {@code HTTPS} on the engine, checked by the same trust
 * manager). Where BoringSSL cannot load (not Linux x86-64, no writable temporary directory), fabric8's JDK TLS is
 * left in place unchanged.
 */
final class OpenSslClientFactory extends VertxHttpClientFactory {

    private final Config config;

    OpenSslClientFactory(Config config) {
        this.config = config;
        if (available()) {
            // fabric8 would build its JDK SSL context up front ("warm-up"); it is replaced below and never used
            setTlsWarmup(io.fabric8.kubernetes.client.vertx.TlsWarmup.OFF);
        }
    }

    /** Whether BoringSSL loaded (and {@code RECONCILER_TLS=jdk} does not ask for the JDK's TLS). */
    static boolean available() {
        return !"jdk".equalsIgnoreCase(System.getenv("RECONCILER_TLS")) && OpenSsl.isAvailable();
    }

    @Override
    protected void additionalConfig(WebClientOptions options) {
        if (!options.isSsl() || !available()) {
            return;
        }
        KeyManager[] keyManagers;
        TrustManager[] trustManagers;
        try {
            keyManagers = SSLUtils.keyManagers(config);
            trustManagers = SSLUtils.trustManagers(config);
        } catch (GeneralSecurityException | IOException e) {
            return; // fabric8 built its own context from the same config and reports what is wrong with it
        }
        SslContextFactory factory = () -> {
            SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL);
            if (trustManagers != null && trustManagers.length > 0) {
                builder.trustManager(trustManagers[0]);
            }
            if (keyManagers != null && keyManagers.length > 0) {
                builder.keyManager(keyManagers[0]);
            }
            return builder.build();
        };
        options.setSslEngineOptions(new JdkSSLEngineOptions() {
            @Override
            public SslContextFactory sslContextFactory() {
                return factory;
            }

            @Override
            public JdkSSLEngineOptions copy() {
                return this; // as fabric8's own: Vert.x copies the options, the factory stays
            }
        });
    }
}
