package io.posunbind.docs;

import io.posunbind.CoreErrorCode;
import io.posunbind.provider.wechatpay.WechatPayErrorCode;
import io.posunbind.rules.RuleCode;
import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.NotificationErrorCode;
import io.posunbind.spi.SettingErrorCode;
import io.posunbind.spi.StandardErrorCode;
import io.posunbind.validation.ValidationCodes;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which published module declares which codes, in the order the reference lists them. A new module of the
 * BOM gets an entry here (with its code enums, or a note why it has none); a new code enum is added to its
 * module's entry. ErrorCodeReferenceTest fails, naming what is missing, when either is forgotten.
 */
final class CodeCatalogue {

    /** Where the texts of the spi's and core's codes live (the spi depends on the JDK only, so it has no bundle). */
    static final String CORE_BUNDLE = "io/posunbind/i18n/messages";

    /**
     * One published module.
     *
     * @param artifactId  its artifact id, as in the BOM
     * @param codeEnums   its enums of stable codes
     * @param constantsOf classes whose {@code public static final String} fields are codes (the validators')
     * @param note        why it declares no codes, or what else to know about its codes
     */
    record Module(String artifactId, List<Class<? extends ErrorCode>> codeEnums, List<Class<?>> constantsOf,
            Optional<String> note) {
        Module {
            Objects.requireNonNull(artifactId, "artifactId");
            codeEnums = List.copyOf(codeEnums);
            constantsOf = List.copyOf(constantsOf);
            Objects.requireNonNull(note, "note");
        }
    }

    static final List<Module> MODULES = List.of(
            new Module("posunbind-spi",
                    List.of(StandardErrorCode.class, NotificationErrorCode.class, SettingErrorCode.class), List.of(),
                    Optional.of("Codes an adapter maps its provider's answers to. An adapter keeps the provider's own"
                            + " code beside one of these (`OperationOutcome.Rejected.providerCode()`);"
                            + " the engine acts on this one.")),
            new Module("posunbind-core", List.of(CoreErrorCode.class, RuleCode.class), List.of(ValidationCodes.class),
                    Optional.of("`UNB-` codes are the engine's (`CoreErrorCode`), `RULE-` codes a rule violation's"
                            + " (`RuleCode`, in `CaseSnapshot.violations()`), `VAL-` codes a validator's"
                            + " (`ValidationCodes`, in a `RULE-DOCUMENT-INVALID` violation or an"
                            + " `InvalidRequestException`).")),
            new Module("posunbind-testkit", List.of(), List.of(),
                    Optional.of("No codes of its own. The sandbox provider answers with the spi's codes and keeps"
                            + " its own `SBX-…` provider code beside them, as a real acquirer's adapter keeps the"
                            + " acquirer's.")),
            new Module("posunbind-provider-adyen", List.of(), List.of(),
                    Optional.of("No codes of its own: Adyen's answers map to the spi's codes; Adyen's `errorCode`"
                            + " (for example `00_422`, or `HTTP-<status>`) is kept as the provider code.")),
            new Module("posunbind-provider-stripe", List.of(), List.of(),
                    Optional.of("No codes of its own: Stripe's answers map to the spi's codes; Stripe's error code"
                            + " is kept as the provider code.")),
            new Module("posunbind-provider-wechatpay", List.of(WechatPayErrorCode.class), List.of(),
                    Optional.of("For the answers no spi code names; WeChat Pay's own code is kept as the provider"
                            + " code. Texts in `io/posunbind/provider/wechatpay/messages*.properties`, listed in"
                            + " `META-INF/posunbind/message-bundles`, so core's `Messages` (a case's `describe()`,"
                            + " the HTTP API's problems) shows them as it shows core's.")),
            new Module("posunbind-micrometer", List.of(), List.of(),
                    Optional.of("No codes of its own: it records the codes of the other modules as the `code` tag of"
                            + " its timers and counters.")),
            new Module("posunbind-spring-boot-starter", List.of(), List.of(),
                    Optional.of("No codes of its own: its endpoints answer with the codes of core and the spi (as"
                            + " RFC 9457 problem documents), and a start it refuses names the property to set.")));

    private CodeCatalogue() {
    }
}
