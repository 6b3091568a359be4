package io.posunbind.internal.limits;

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
import java.time.Duration;
import java.util.Optional;

/**
 * A provider whose adapters take a permit from the provider's {@link ProviderLimiter} around every call,
 * and whose rate-limited answers pause the limiter: every caller of the engine goes through it, so the
 * limits hold for all of them. Calls into the provider object itself and into its {@link CallbackParser}
 * never reach the provider and take no permit. Thread-safe as the provider it wraps.
 */
final class LimitedProvider {

    private static final String SPI_PACKAGE = PaymentProvider.class.getPackageName();

    private LimitedProvider() {
    }

    /** The provider, limited by {@code limiter}. */
    static PaymentProvider limit(PaymentProvider provider, ProviderLimiter limiter) {
        return wrap(PaymentProvider.class, provider, limiter);
    }

    private static <T> T wrap(Class<T> type, T target, ProviderLimiter limiter) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                new Limited(type, target, limiter)));
    }

    private record Limited(Class<?> type, Object target, ProviderLimiter limiter) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class || type == PaymentProvider.class
                    || type == CallbackParser.class) {
                return wrapResult(method, call(method, args), limiter);
            }
            Object result;
            try (ProviderLimiter.Permit permit = limiter.acquire()) {
                result = call(method, args);
            } catch (PosUnbindException e) {
                if (!(e instanceof CallDeferred) && e.errorCode() == StandardErrorCode.RATE_LIMITED) {
                    // A read's 429 comes as an exception, without the provider's Retry-After.
                    limiter.pause(ProviderLimiter.PAUSE_WITHOUT_RETRY_AFTER);
                }
                throw e;
            }
            rateLimitedAnswer(result).ifPresent(limiter::pause);
            return wrapResult(method, result, limiter);
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
    private static Object wrapResult(Method method, Object result, ProviderLimiter limiter) {
        if (result == null) {
            return null;
        }
        Class<?> returned = method.getReturnType();
        if (isAdapter(returned)) {
            return wrap((Class) returned, result, limiter);
        }
        if (returned == Optional.class && method.getGenericReturnType() instanceof ParameterizedType optional) {
            Type inner = optional.getActualTypeArguments()[0];
            if (inner instanceof Class<?> innerType && isAdapter(innerType)) {
                return ((Optional<?>) result).map(value -> wrap((Class) innerType, value, limiter));
            }
        }
        return result;
    }

    /** The adapter contracts (not the sealed value types, such as outcomes). */
    private static boolean isAdapter(Class<?> type) {
        return type.isInterface() && !type.isSealed() && type.getPackageName().equals(SPI_PACKAGE);
    }
}
