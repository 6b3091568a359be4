package io.posunbind.testkit.scenarios;

import io.posunbind.spi.PaymentProvider;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A provider as a test wants it: the sandbox's, with every call to it or its adapters passing through an
 * {@link Interceptor} that may answer, throw or block instead, and recorded by name
 * ({@code "DeviceUnbindAdapter.disableTerminal"}) in call order.
 */
final class InterceptedProvider {

    /** Decides one call; {@code proceed} runs the real one. */
    @FunctionalInterface
    interface Interceptor {
        Object call(String name, Object[] args, Proceed proceed) throws Throwable;
    }

    /** The real call. */
    @FunctionalInterface
    interface Proceed {
        Object call() throws Throwable;
    }

    private static final String SPI_PACKAGE = PaymentProvider.class.getPackageName();

    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final Interceptor interceptor;
    final PaymentProvider provider;

    InterceptedProvider(PaymentProvider real, Interceptor interceptor) {
        this.interceptor = interceptor;
        this.provider = wrap(PaymentProvider.class, real);
    }

    private <T> T wrap(Class<T> type, T target) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.invoke(target, args);
                    }
                    String name = type.getSimpleName() + "." + method.getName();
                    calls.add(name);
                    Object result = interceptor.call(name, args, () -> {
                        try {
                            return method.invoke(target, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
                    return wrapResult(method, result);
                }));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object wrapResult(Method method, Object result) {
        if (result == null) {
            return null;
        }
        if (isAdapter(method.getReturnType())) {
            return wrap((Class) method.getReturnType(), result);
        }
        if (method.getReturnType() == Optional.class && method.getGenericReturnType() instanceof ParameterizedType p) {
            Type inner = p.getActualTypeArguments()[0];
            if (inner instanceof Class<?> innerType && isAdapter(innerType)) {
                return ((Optional<?>) result).map(value -> wrap((Class) innerType, value));
            }
        }
        return result;
    }

    private static boolean isAdapter(Class<?> type) {
        return type.isInterface() && !type.isSealed() && type.getPackageName().equals(SPI_PACKAGE);
    }

    /** How often a call was made so far. */
    long count(String name) {
        synchronized (calls) {
            return calls.stream().filter(name::equals).count();
        }
    }
}
