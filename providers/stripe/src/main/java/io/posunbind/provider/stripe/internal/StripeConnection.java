package io.posunbind.provider.stripe.internal;

import com.stripe.StripeClient;
import com.stripe.net.Authenticator;
import com.stripe.net.BearerTokenAuthenticator;
import com.stripe.net.LiveStripeResponseGetter;
import com.stripe.net.StripeResponseGetterOptions;
import io.posunbind.provider.stripe.StripeSettings;
import java.net.PasswordAuthentication;
import java.net.Proxy;

/**
 * The stripe-java client as the adapter uses it: pointed at the configured API base, with the configured
 * timeouts, and with the library's own network retries off ({@code maxNetworkRetries = 0}), so that every
 * retry is the engine's, under the engine's key and after its lookup. stripe-java would otherwise resend a
 * request by itself on a connection error, a 409, a 429 lock timeout or a 5xx, sleeping on the caller's
 * thread. Requests go through {@link SingleShotHttpClient}, which sends each once (the JDK's
 * {@code HttpURLConnection} would silently re-send a DELETE on a reset connection).
 *
 * <p>Creating it opens no connection. Thread-safe.
 */
final class StripeConnection {

    private final StripeClient client;

    StripeConnection(StripeSettings settings) {
        this.client = new StripeClient(new LiveStripeResponseGetter(new Options(settings),
                new SingleShotHttpClient(settings.connectTimeout(), settings.readTimeout())));
    }

    StripeClient client() {
        return client;
    }

    @Override
    public String toString() {
        return "StripeConnection[****]";
    }

    /** The options stripe-java's builder would make, with retries off; no proxy, no Connect or files base. */
    private static final class Options extends StripeResponseGetterOptions {
        private final Authenticator authenticator;
        private final String apiBase;
        private final String account;
        private final int connectTimeout;
        private final int readTimeout;

        Options(StripeSettings settings) {
            this.authenticator = new BearerTokenAuthenticator(settings.apiKey().reveal());
            String base = settings.apiBase().toString();
            this.apiBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
            this.account = settings.account().orElse(null);
            this.connectTimeout = Math.toIntExact(settings.connectTimeout().toMillis());
            this.readTimeout = Math.toIntExact(settings.readTimeout().toMillis());
        }

        @Override
        public Authenticator getAuthenticator() {
            return authenticator;
        }

        @Override
        public String getClientId() {
            return null;
        }

        @Override
        public int getConnectTimeout() {
            return connectTimeout;
        }

        @Override
        public Proxy getConnectionProxy() {
            return null;
        }

        @Override
        public int getMaxNetworkRetries() {
            return 0;
        }

        @Override
        public PasswordAuthentication getProxyCredential() {
            return null;
        }

        @Override
        public String getApiBase() {
            return apiBase;
        }

        @Override
        public String getFilesBase() {
            return apiBase;
        }

        @Override
        public String getConnectBase() {
            return apiBase;
        }

        @Override
        public String getMeterEventsBase() {
            return apiBase;
        }

        @Override
        public int getReadTimeout() {
            return readTimeout;
        }

        @Override
        public String getStripeAccount() {
            return account;
        }

        @Override
        public String getStripeContext() {
            return null;
        }

        @Override
        public String toString() {
            return "Options[****]";
        }
    }
}
