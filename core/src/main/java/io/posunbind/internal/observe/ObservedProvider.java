package io.posunbind.internal.observe;

import io.posunbind.observe.CallOutcome;
import io.posunbind.observe.CallScope;
import io.posunbind.observe.EngineObserver;
import io.posunbind.observe.ProviderCall;
import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.OperationOutcome;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.spi.StandardErrorCode;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.Optional;

/**
 * A provider whose adapter calls are told to the observer (around each, on the calling thread) and noted in
 * {@link ProviderCallRecords} for the health check. Calls into the provider object itself and its
 * {@link CallbackParser} never reach the provider and are passed through. The engine puts the limits
 * outside it, so a call the limits defer never gets here. Thread-safe as the provider it wraps.
 */
public final class ObservedProvider {

    private static final String SPI_PACKAGE = PaymentProvider.class.getPackageName();

    private ObservedProvider() {
    }

    /** The provider, its adapter calls observed by {@code observer} and noted in {@code records}. */
    public static PaymentProvider observe(PaymentProvider provider, EngineObserver observer,
            ProviderCallRecords records) {
        return wrap(PaymentProvider.class, provider, new Observing(provider.id(), observer, records));
    }

    private record Observing(String providerId, EngineObserver observer, ProviderCallRecords records) {
    }

    private static <T> T wrap(Class<T> type, T target, Observing observing) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                new Observed(type, target, observing)));
    }

    private record Observed(Class<?> type, Object target, Observing observing) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class || type == PaymentProvider.class
                    || type == CallbackParser.class) {
                return wrapResult(method, call(method, args), observing);
            }
            CallScope scope = observing.observer() == EngineObserver.NONE ? CallScope.NONE
                    : observing.observer().providerCallStarted(new ProviderCall(observing.providerId(),
                            type.getSimpleName() + "." + method.getName(), CurrentStep.caseId(), CurrentStep.step()));
            Object result;
            try {
                result = call(method, args);
            } catch (Throwable failure) {
                ended(scope, thrown(failure), codeOf(failure));
                throw failure;
            }
            Object outcome = result instanceof Optional<?> optional ? optional.orElse(null) : result;
            ended(scope, answered(outcome), outcome instanceof OperationOutcome answer ? codeOf(answer)
                    : Optional.empty());
            return wrapResult(method, result, observing);
        }

        private void ended(CallScope scope, CallOutcome outcome, Optional<String> code) {
            observing.records().record(observing.providerId(), outcome, code);
            scope.end(outcome, code);
        }

        private Object call(Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    private static CallOutcome answered(Object outcome) {
        if (outcome instanceof OperationOutcome.Pending) {
            return CallOutcome.PENDING;
        } else if (outcome instanceof OperationOutcome.Rejected) {
            return CallOutcome.REJECTED;
        } else if (outcome instanceof OperationOutcome.RetryableFailure failure) {
            return failure.code() == StandardErrorCode.RATE_LIMITED ? CallOutcome.RATE_LIMITED
                    : CallOutcome.RETRYABLE_FAILURE;
        } else if (outcome instanceof OperationOutcome.Unknown) {
            return CallOutcome.UNKNOWN;
        }
        return CallOutcome.SUCCEEDED; // a value, an operation done, nothing to do
    }

    private static Optional<String> codeOf(OperationOutcome outcome) {
        if (outcome instanceof OperationOutcome.Rejected rejected) {
            return Optional.of(rejected.code().code());
        } else if (outcome instanceof OperationOutcome.RetryableFailure failure) {
            return Optional.of(failure.code().code());
        }
        return Optional.empty();
    }

    /** A read answers a refusal with a coded exception; anything uncoded is the adapter's fault. */
    private static CallOutcome thrown(Throwable failure) {
        if (!(failure instanceof PosUnbindException coded)) {
            return CallOutcome.ERROR;
        } else if (coded.errorCode() == StandardErrorCode.RATE_LIMITED) {
            return CallOutcome.RATE_LIMITED;
        }
        return coded.retryable() ? CallOutcome.RETRYABLE_FAILURE : CallOutcome.REJECTED;
    }

    private static Optional<String> codeOf(Throwable failure) {
        return failure instanceof PosUnbindException coded ? Optional.of(coded.errorCode().code()) : Optional.empty();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object wrapResult(Method method, Object result, Observing observing) {
        if (result == null) {
            return null;
        }
        Class<?> returned = method.getReturnType();
        if (isAdapter(returned)) {
            return wrap((Class) returned, result, observing);
        }
        if (returned == Optional.class && method.getGenericReturnType() instanceof ParameterizedType optional) {
            Type inner = optional.getActualTypeArguments()[0];
            if (inner instanceof Class<?> innerType && isAdapter(innerType)) {
                return ((Optional<?>) result).map(value -> wrap((Class) innerType, value, observing));
            }
        }
        return result;
    }

    /** The adapter contracts (not the sealed value types, such as outcomes). */
    private static boolean isAdapter(Class<?> type) {
        return type.isInterface() && !type.isSealed() && type.getPackageName().equals(SPI_PACKAGE);
    }
}
