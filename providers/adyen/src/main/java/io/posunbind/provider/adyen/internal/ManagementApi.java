package io.posunbind.provider.adyen.internal;

import com.adyen.Client;
import com.adyen.Config;
import com.adyen.enums.Environment;
import com.adyen.model.RequestOptions;
import com.adyen.model.management.ListTerminalsResponse;
import com.adyen.model.management.Terminal;
import com.adyen.model.management.TerminalReassignmentRequest;
import com.adyen.model.management.TerminalSettings;
import com.adyen.service.exception.ApiException;
import com.adyen.service.management.TerminalSettingsTerminalLevelApi;
import com.adyen.service.management.TerminalsTerminalLevelApi;
import io.posunbind.spi.ProviderException;
import io.posunbind.spi.StandardErrorCode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Management API calls the adapter makes, through the official library's services
 * ({@link TerminalsTerminalLevelApi}, {@link TerminalSettingsTerminalLevelApi}) on a
 * {@link SingleAttemptTransport}. Thread-safe: every call builds its own small {@link Client} around the
 * shared transport, so that a call can have its own read timeout (the engine's time budget).
 */
final class ManagementApi {

    /** How many terminals one search page brings; a serial matches one terminal, rarely a few. */
    private static final int PAGE_SIZE = 20;

    private final AdyenSettings settings;
    private final SingleAttemptTransport transport;

    ManagementApi(AdyenSettings settings) {
        this.settings = settings;
        this.transport = new SingleAttemptTransport(settings.connectTimeout());
    }

    /** The read timeout of every call, unless a mutating call's budget is shorter. */
    Duration readTimeout() {
        return settings.readTimeout();
    }

    /**
     * The terminal with this serial number: {@code GET /terminals?searchQuery=...}. Adyen searches terminal ids
     * ({@code V400m-324689776}), which hold the serial without its dashes, so the search sends the serial
     * without dashes and the answer is filtered on the serial itself.
     */
    Optional<Terminal> terminalBySerial(String serialNumber) throws ApiException, IOException {
        String wanted = normalised(serialNumber);
        ListTerminalsResponse page = new TerminalsTerminalLevelApi(client(settings.readTimeout()), base())
                .listTerminals(serialNumber.replace("-", ""), null, null, null, null, null, 1, PAGE_SIZE, null);
        List<Terminal> found = page.getData() == null ? List.of() : page.getData();
        return found.stream().filter(terminal -> terminal.getSerialNumber() != null
                && normalised(terminal.getSerialNumber()).equals(wanted)).findFirst();
    }

    /**
     * The terminal with this serial number, or the read's failure as a {@link ProviderException}: not found,
     * refused, or Adyen out of reach.
     *
     * @param what what the read is for, the start of the exception's message
     */
    Terminal terminal(String serialNumber, String what) {
        try {
            return terminalBySerial(serialNumber).orElseThrow(() -> new ProviderException(
                    StandardErrorCode.TERMINAL_NOT_FOUND, AdyenDeviceAdapter.NO_SUCH_SERIAL,
                    what + ": Adyen has no terminal with this serial"));
        } catch (ApiException e) {
            throw AdyenError.of(e).exception(what);
        } catch (IOException e) {
            throw AdyenError.unreachable(what, e);
        }
    }

    /** The terminal's settings: {@code GET /terminals/{terminalId}/terminalSettings}. */
    TerminalSettings settingsOf(String terminalId) throws ApiException, IOException {
        return new TerminalSettingsTerminalLevelApi(client(settings.readTimeout()), base())
                .getTerminalSettings(terminalId);
    }

    /**
     * Reassigns the terminal: {@code POST /terminals/{terminalId}/reassign} with the engine's key as
     * {@code Idempotency-Key} (at most 64 characters, as Adyen allows). Sent once; Adyen answers an empty 200.
     */
    void reassign(String terminalId, TerminalReassignmentRequest request, String idempotencyKey, Duration budget)
            throws ApiException, IOException {
        Duration timeout = budget.compareTo(settings.readTimeout()) < 0 ? budget : settings.readTimeout();
        new TerminalsTerminalLevelApi(client(timeout), base())
                .reassignTerminal(terminalId, request, new RequestOptions().idempotencyKey(idempotencyKey));
    }

    private String base() {
        return settings.baseUri().toString();
    }

    private Client client(Duration readTimeout) {
        Config config = new Config()
                .environment(settings.baseUri().getHost() != null && settings.baseUri().getHost().contains("-live")
                        ? Environment.LIVE : Environment.TEST)
                .apiKey(settings.apiKey().reveal())
                .connectionTimeoutMillis((int) settings.connectTimeout().toMillis())
                .readTimeoutMillis((int) Math.max(1, readTimeout.toMillis()));
        Client client = new Client(config);
        client.setHttpClient(transport);
        return client;
    }

    static String normalised(String serialNumber) {
        return serialNumber.replace("-", "").toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "ManagementApi[" + settings.baseUri() + "]";
    }
}
