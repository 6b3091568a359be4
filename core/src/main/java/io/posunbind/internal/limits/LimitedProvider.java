package io.posunbind.internal.limits;

import io.posunbind.spi.CallbackParser;
import io.posunbind.spi.OperationContext;
import io.posunbind.spi.OperationKind;
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
import java.time.Duration;
import java.util.Optional;

/**
 * A provider whose adapters take a permit from the provider's {@link ProviderGate} around every call (a call
 * with an {@link OperationContext} performs that context's operation, and also needs the operation's own
 * permit when it has a limit), and whose rate-limited answers pause the limiter they came from: every caller
 * of the engine goes through it, so the limits hold for all of them. Calls into the provider object itself and into its {@link CallbackParser}
 * never reach the provider and take no permit. Thread-safe as the provider it wraps.
 */
final class LimitedProvider {

    private static final String SPI_PACKAGE = PaymentProvider.class.getPackageName();

    private LimitedProvider() {
    }

    /** The provider, limited by {@code gate}. */
    static PaymentProvider limit(PaymentProvider provider, ProviderGate gate) {
        return wrap(PaymentProvider.class, provider, gate);
    }

    private static <T> T wrap(Class<T> type, T target, ProviderGate gate) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                new Limited(type, target, gate)));
    }

    private record Limited(Class<?> type, Object target, ProviderGate gate) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class || type == PaymentProvider.class
                    || type == CallbackParser.class) {
                return wrapResult(method, call(method, args), gate);
            }
            Optional<OperationKind> operation = performedOperation(args);
            Object result;
            try (ProviderGate.Passage permits = gate.acquire(operation)) {
                result = call(method, args);
            } catch (PosUnbindException e) {
                if (!(e instanceof CallDeferred) && e.errorCode() == StandardErrorCode.RATE_LIMITED) {
                    // A read's 429 comes as an exception, without the provider's Retry-After.
                    gate.rateLimited(operation, ProviderLimiter.PAUSE_WITHOUT_RETRY_AFTER);
                }
                throw e;
            }
            rateLimitedAnswer(result).ifPresent(retryAfter -> gate.rateLimited(operation, retryAfter));
            return wrapResult(method, result, gate);
        }

        /** The operation a call performs: the kind of its {@link OperationContext}, if it takes one. */
        private static Optional<OperationKind> performedOperation(Object[] args) {
            if (args != null) {
                for (Object arg : args) {
                    if (arg instanceof OperationContext context) {
                        return Optional.of(context.kind());
                    }
                }
            }
            return Optional.empty();
        }

        private Object call(Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    /** The Retry-After of a rate-limited answer, directly or from a lookup. */
    private static Optional<Duration> rateLimitedAnswer(Object result) {
        Object outcome = result instanceof Optional<?> optional ? optional.orElse(null) : result;
        if (outcome instanceof OperationOutcome.RetryableFailure failure
                && failure.code() == StandardErrorCode.RATE_LIMITED) {
            return failure.retryAfter();
        }
        return Optional.empty();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object wrapResult(Method method, Object result, ProviderGate gate) {
        if (result == null) {
            return null;
        }
        Class<?> returned = method.getReturnType();
        if (isAdapter(returned)) {
            return wrap((Class) returned, result, gate);
        }
        if (returned == Optional.class && method.getGenericReturnType() instanceof ParameterizedType optional) {
            Type inner = optional.getActualTypeArguments()[0];
            if (inner instanceof Class<?> innerType && isAdapter(innerType)) {
                return ((Optional<?>) result).map(value -> wrap((Class) innerType, value, gate));
            }
        }
        return result;
    }

    /** The adapter contracts (not the sealed value types, such as outcomes). */
    private static boolean isAdapter(Class<?> type) {
        return type.isInterface() && !type.isSealed() && type.getPackageName().equals(SPI_PACKAGE);
    }
}
