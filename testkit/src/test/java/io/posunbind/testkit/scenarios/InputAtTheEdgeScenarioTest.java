package io.posunbind.testkit.scenarios;

import static io.posunbind.testkit.sandbox.SandboxDemoData.MERCHANT_NUMBER;
import static io.posunbind.testkit.sandbox.SandboxDemoData.TERMINAL_SERIAL;
import static io.posunbind.testkit.scenarios.MerchantCase.allDocuments;
import static io.posunbind.testkit.scenarios.MerchantCase.fullReplacement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.Actor;
import io.posunbind.BindingKind;
import io.posunbind.CaseSnapshot;
import io.posunbind.CaseState;
import io.posunbind.CoreErrorCode;
import io.posunbind.InvalidRequestException;
import io.posunbind.UnbindPreview;
import io.posunbind.UnbindReason;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import io.posunbind.WaitReason;
import io.posunbind.testkit.sandbox.SandboxProvider;
import io.posunbind.json.CancelCommand;
import io.posunbind.json.UnbindJson;
import io.posunbind.rules.RuleCode;
import io.posunbind.spi.DeviceUnbindAdapter;
import io.posunbind.spi.MerchantInfoAdapter;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.SpiVersion;
import io.posunbind.store.InMemoryCaseStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What an application's HTTP front end sends the unbinder at its edge: commands without a reason, notes
 * with a card number in them, serials of a provider that publishes no serial shape. Every refusal is coded
 * and every case ends with a code that has a text.
 */
class InputAtTheEdgeScenarioTest {

    static final String CARD = "6222021001123456789";

    @Test
    void aProviderWithoutItsOwnSerialShapeGetsTheEngineDefault() {
        MerchantCase merchant = new MerchantCase();
        PaymentProvider sandbox = new SandboxProvider(merchant.sandbox);
        // An adapter author who publishes no serial shape: the SPI promises the engine's default then.
        PaymentProvider plain = new PaymentProvider() {
            @Override
            public String id() {
                return "plain";
            }

            @Override
            public String displayName() {
                return "A provider without serial shape";
            }

            @Override
            public String requestedSpiVersion() {
                return SpiVersion.CURRENT;
            }

            @Override
            public Optional<MerchantInfoAdapter> merchantInfoAdapter() {
                return sandbox.merchantInfoAdapter();
            }
        };
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore()).provider(plain).build();

        UnbindPreview bad = unbinder.preview(request("plain", "x!"));
        assertTrue(bad.violations().stream().anyMatch(violation ->
                violation.code().equals(RuleCode.SERIAL_NUMBER_INVALID.code())), bad.violations().toString());
        assertFalse(bad.canProceed());

        UnbindPreview good = unbinder.preview(request("plain", TERMINAL_SERIAL));
        assertTrue(good.violations().stream().noneMatch(violation ->
                violation.code().equals(RuleCode.SERIAL_NUMBER_INVALID.code())), good.violations().toString());
    }

    @Test
    void aCancelWithoutReasonIsACodedRefusalAndTheCaseDoesNotMove() {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        assertTrue(opened.isWaitingFor(WaitReason.FEE_CONSENT));

        InvalidRequestException noReason = assertThrows(InvalidRequestException.class,
                () -> merchant.unbinder.cancel(opened.id(), MerchantCase.OPERATOR, null));
        assertEquals(CoreErrorCode.INVALID_REQUEST, noReason.errorCode());
        assertEquals("reason", noReason.violations().get(0).field());
        InvalidRequestException noActor = assertThrows(InvalidRequestException.class,
                () -> merchant.unbinder.cancel(opened.id(), null, "changed my mind"));
        assertEquals("actor", noActor.violations().get(0).field());
        InvalidRequestException noAnswer = assertThrows(InvalidRequestException.class,
                () -> merchant.unbinder.answerVerification(opened.id(), MerchantCase.MERCHANT, null));
        assertEquals("answer", noAnswer.violations().get(0).field());
        assertEquals(opened.version(), merchant.unbinder.find(opened.id()).orElseThrow().version());
    }

    @Test
    void aCancelledCaseEndsWithTheCancelledCodeAndNoCardNumberInItsHistory() {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        CancelCommand cancel = UnbindJson.readCommand("""
                {"actor":{"id":"operator:li.na","role":"operator"},"reason":"商户要求退款到卡 %s"}""".formatted(CARD),
                CancelCommand.class);

        CaseSnapshot cancelled = merchant.unbinder.cancel(opened.id(), cancel.actor(), cancel.reason());

        assertEquals(CaseState.CANCELLED, cancelled.state());
        assertEquals(Optional.of(CoreErrorCode.CANCELLED.code()), cancelled.failureCode());
        assertFalse(cancelled.toString().contains(CARD), cancelled.toString());
        assertFalse(UnbindJson.writeSnapshot(cancelled).contains(CARD));
        // Said in words, not as a raw code, in both languages.
        assertFalse(cancelled.describe(Locale.SIMPLIFIED_CHINESE).contains("UNB-CANCELLED"));
        assertFalse(cancelled.describe(Locale.ENGLISH).contains("UNB-CANCELLED"));
        // The same note given straight to the unbinder is masked the same way.
        MerchantCase other = new MerchantCase();
        CaseSnapshot second = other.unbinder.open(fullReplacement().documents(allDocuments()).build());
        CaseSnapshot direct = other.unbinder.cancel(second.id(), MerchantCase.OPERATOR, "退款到卡 " + CARD);
        assertFalse(direct.toString().contains(CARD), direct.toString());
    }

    @Test
    void declinedFeesEndWithTheFeesDeclinedCode() {
        MerchantCase merchant = new MerchantCase();
        CaseSnapshot opened = merchant.unbinder.open(fullReplacement().documents(allDocuments()).build());
        CaseSnapshot declined = merchant.unbinder.declineFees(opened.id(), MerchantCase.MERCHANT);
        assertEquals(Optional.of(CoreErrorCode.FEES_DECLINED.code()), declined.failureCode());
        assertFalse(declined.describe(Locale.SIMPLIFIED_CHINESE).contains("UNB-FEES-DECLINED"));
    }

    @Test
    void aSerialOfTheWrongShapeIsNeverSentToTheProvider() {
        MerchantCase merchant = new MerchantCase();
        PaymentProvider sandbox = new SandboxProvider(merchant.sandbox);
        List<String> reads = new ArrayList<>();
        DeviceUnbindAdapter sandboxDevice = sandbox.deviceAdapter().orElseThrow();
        // The sandbox's device adapter, noting every serial the engine asks it to read.
        DeviceUnbindAdapter noting = (DeviceUnbindAdapter) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DeviceUnbindAdapter.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("readTerminal")) {
                        reads.add(String.valueOf(arguments[0]));
                    }
                    try {
                        return method.invoke(sandboxDevice, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        PaymentProvider plain = new PaymentProvider() {
            @Override
            public String id() {
                return "plain";
            }

            @Override
            public String displayName() {
                return "A provider without serial shape";
            }

            @Override
            public String requestedSpiVersion() {
                return SpiVersion.CURRENT;
            }

            @Override
            public Optional<DeviceUnbindAdapter> deviceAdapter() {
                return Optional.of(noting);
            }

            @Override
            public Optional<MerchantInfoAdapter> merchantInfoAdapter() {
                return sandbox.merchantInfoAdapter();
            }
        };
        Unbinder unbinder = merchant.builderOn(new InMemoryCaseStore()).provider(plain).build();

        UnbindPreview preview = unbinder.preview(request("plain", "x!"));
        CaseSnapshot opened = unbinder.open(request("plain", "x!"));

        assertFalse(preview.canProceed());
        assertEquals(CaseState.BLOCKED, opened.state());
        assertTrue(opened.violations().stream().anyMatch(violation ->
                violation.code().equals(RuleCode.SERIAL_NUMBER_INVALID.code())), opened.violations().toString());
        assertEquals(List.of(), reads, "the provider was never asked about a serial of the wrong shape");
        unbinder.close();
    }

    private static UnbindRequest request(String provider, String serial) {
        return UnbindRequest.builder().provider(provider).merchantNumber(MERCHANT_NUMBER).terminalSerial(serial)
                .reason(UnbindReason.PAYMENT_SYSTEM_CHANGE).scope(BindingKind.MERCHANT_INFO)
                .requestedBy(new Actor("operator:li.na", "operator")).build();
    }
}
