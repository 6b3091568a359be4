package io.posunbind.scenarios;

import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.UnbinderBuilder;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.store.InMemoryCaseStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** An application's unbinder on an in-memory store with one provider and a fixed clock, for scenarios. */
final class UnbindingHarness {

    static final Actor OPERATOR = Actor.operator("operator:anna.jansen");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T09:00:00Z"), ZoneOffset.UTC);

    private UnbindingHarness() {
    }

    static UnbinderBuilder builderFor(PaymentProvider provider) {
        return Unbinder.builder().store(new InMemoryCaseStore()).clock(CLOCK).provider(provider).withoutDiscovery();
    }

    static Unbinder unbinderFor(PaymentProvider provider) {
        return builderFor(provider).build();
    }

    /** A device-only unbind of one terminal at the provider. */
    static UnbindRequest.Builder deviceOnly(String providerId, String merchant, String serial) {
        return UnbindRequest.builder().provider(providerId).merchantNumber(merchant).terminalSerial(serial)
                .reason(UnbindReason.PAYMENT_SYSTEM_CHANGE).scope(BindingKind.DEVICE).requestedBy(OPERATOR);
    }
}
