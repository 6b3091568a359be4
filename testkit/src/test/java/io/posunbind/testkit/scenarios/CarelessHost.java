package io.posunbind.testkit.scenarios;

import io.posunbind.CaseSnapshot;
import io.posunbind.callback.CallbackRejectedException;
import io.posunbind.event.UnbindEvent;
import io.posunbind.event.UnbindListener;
import io.posunbind.json.UnbindJson;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what a careless host application would: every event, request, document, snapshot and exception
 * it comes across, whole ({@code toString()}, {@code describe()}, JSON, stack traces), at DEBUG.
 * {@code SecretHygieneTest} runs the scenarios and scans this log: the SDK's values must keep card,
 * account, identity and phone numbers masked even when a host prints everything.
 *
 * <p>Thread-safe: it only logs.
 */
final class CarelessHost implements UnbindListener {

    private static final Logger LOG = LoggerFactory.getLogger("careless.host");

    @Override
    public void onEvent(UnbindEvent event) {
        LOG.debug("event {}", event);
    }

    @Override
    public void onRejectedCallback(CallbackRejectedException rejection) {
        LOG.debug("rejected callback", rejection);
    }

    /** Logs anything the host holds (a request, documents, a preview, a record) by its {@code toString()}. */
    static void logs(String what, Object value) {
        LOG.debug("{}: {}", what, value);
    }

    /** Logs a snapshot every way a host shows one: its {@code toString()}, both descriptions and its JSON. */
    static CaseSnapshot logs(CaseSnapshot snapshot) {
        LOG.debug("snapshot {}", snapshot);
        LOG.debug("described {}", snapshot.describe(Locale.ENGLISH));
        LOG.debug("描述 {}", snapshot.describe(Locale.SIMPLIFIED_CHINESE));
        LOG.debug("json {}", UnbindJson.writeSnapshot(snapshot));
        return snapshot;
    }

    /** Logs an exception with its message, causes and stack trace. */
    static void logs(Throwable failure) {
        LOG.debug("failed: {}", failure.toString(), failure);
    }
}
