package io.posunbind.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a contract class on the JUnit Platform, as an adapter author's build would, and tells for each
 * check whether it passed, failed (with the message) or was skipped (with the reason).
 */
final class ContractRun {

    /** What became of one check. */
    record Result(String status, String message) {
        boolean failed() {
            return status.equals("FAILED");
        }
    }

    private final Map<String, Result> results = new TreeMap<>();

    private ContractRun() {
    }

    /** Runs every check of the contract class. */
    static ContractRun of(Class<? extends PaymentProviderContract> contract) {
        return run(selectClass(contract));
    }

    /** Runs one check of the contract class. */
    static ContractRun of(Class<? extends PaymentProviderContract> contract, String check) {
        return run(selectMethod(contract, check));
    }

    private static ContractRun run(DiscoverySelector selector) {
        ContractRun run = new ContractRun();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selector)
                // The launcher would otherwise also pick up this module's own listeners and settings.
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false")
                .configurationParameter(OnlyInContractRun.PARAMETER, "true")
                .build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                checkName(test).ifPresent(name -> run.results.put(name, new Result(result.getStatus().name(),
                        result.getThrowable().map(Throwable::getMessage).orElse(""))));
            }

            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                checkName(test).ifPresent(name -> run.results.put(name, new Result("SKIPPED", reason)));
            }
        });
        return run;
    }

    private static Optional<String> checkName(TestIdentifier test) {
        return test.getSource().filter(MethodSource.class::isInstance)
                .map(source -> ((MethodSource) source).getMethodName());
    }

    Result result(String check) {
        Result result = results.get(check);
        if (result == null) {
            throw new IllegalArgumentException("no check " + check + " ran; ran " + results.keySet());
        }
        return result;
    }

    Map<String, Result> results() {
        return Map.copyOf(results);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        results.forEach((check, result) -> text.append(check).append(": ").append(result.status())
                .append(result.message().isEmpty() ? "" : " - " + result.message()).append('\n'));
        return text.toString();
    }
}
