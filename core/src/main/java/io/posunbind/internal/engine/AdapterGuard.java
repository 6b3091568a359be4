package io.posunbind.internal.engine;

import io.posunbind.internal.audit.DetailScrubber;
import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.PosUnbindException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Optional;

/**
 * Marks the border between the engine and a provider's code, so that a failure says whose it was. The
 * provider and every adapter it hands out are wrapped: an uncoded exception thrown by the provider's code
 * (unchecked, or checked and thrown undeclared) becomes an {@link AdapterFailure} that keeps the exception's
 * message (scrubbed of card, account, identity and phone numbers), and a {@code null} answer where the SPI
 * promises a value becomes one too. Coded {@link PosUnbindException}s and {@link Error}s pass unchanged. Whatever else goes wrong while a step runs is the engine's.
 *
 * <p>Stateless and thread-safe; the wrappers are as thread-safe as the provider they wrap.
 */
final class AdapterGuard {

    private static final String SPI_PACKAGE = PaymentProvider.class.getPackageName();

    private AdapterGuard() {
    }

    /** An uncoded failure of a provider's code, with what it was doing; never escapes the engine. */
    static final class AdapterFailure extends RuntimeException {

        private static final long serialVersionUID = 1L;

        AdapterFailure(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    /** The provider, with every adapter it hands out, wrapped as described in the class comment. */
    static PaymentProvider guard(PaymentProvider provider) {
        return wrap(PaymentProvider.class, provider, provider.id());
    }

    /** What a failure says about itself: its type and its message, scrubbed, never its secrets. */
    static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName()
                + (message == null || message.isBlank() ? "" : ": " + DetailScrubber.scrub(message));
    }

    private static <T> T wrap(Class<T> type, T target, String providerId) {
        if (Proxy.isProxyClass(target.getClass()) && Proxy.getInvocationHandler(target) instanceof Guard) {
            return target; // guarded already
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                new Guard(type, target, providerId)));
    }

    /** The wrapper of one provider or adapter. */
    private record Guard(Class<?> type, Object target, String providerId) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            return AdapterGuard.invoke(type, target, providerId, method, args);
        }
    }

    private static Object invoke(Class<?> type, Object target, String providerId, Method method, Object[] args)
            throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return method.invoke(target, args);
        }
        Object result;
        try {
            result = method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UndeclaredThrowableException undeclared && undeclared.getCause() != null) {
                // A checked exception thrown undeclared, passed through the engine's limits on calls.
                cause = undeclared.getCause();
            }
            // A checked exception counts too: Kotlin, Lombok's @SneakyThrows and the like throw them
            // undeclared, and rethrown here it would reach the engine as an UndeclaredThrowableException,
            // taken for the engine's own fault. Errors (out of memory, a missing class) are nobody's answer.
            if (cause instanceof PosUnbindException || cause instanceof Error) {
                throw cause;
            }
            throw new AdapterFailure(where(type, providerId, method) + " failed with " + describe(cause), cause);
        }
        if (result == null && method.getReturnType() != void.class) {
            throw new AdapterFailure(where(type, providerId, method) + " answered null", null);
        }
        return wrapResult(method, result, providerId);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object wrapResult(Method method, Object result, String providerId) {
        Class<?> returned = method.getReturnType();
        if (isSpiInterface(returned)) {
            return wrap((Class) returned, result, providerId);
        }
        if (returned == Optional.class && method.getGenericReturnType() instanceof ParameterizedType optional) {
            Type inner = optional.getActualTypeArguments()[0];
            if (inner instanceof Class<?> innerType && isSpiInterface(innerType)) {
                return ((Optional<?>) result).map(value -> wrap((Class) innerType, value, providerId));
            }
        }
        return result;
    }

    /** The adapter contracts (not the sealed value types, such as outcomes, which stay as they are). */
    private static boolean isSpiInterface(Class<?> type) {
        return type.isInterface() && !type.isSealed() && type.getPackageName().equals(SPI_PACKAGE);
    }

    private static String where(Class<?> type, String providerId, Method method) {
        return "provider " + providerId + "'s " + type.getSimpleName() + "." + method.getName();
    }
}
