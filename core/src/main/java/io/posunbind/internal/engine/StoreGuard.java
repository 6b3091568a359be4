package io.posunbind.internal.engine;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.PosUnbindException;
import io.posunbind.store.CaseStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Marks the border between the engine and the case store, as {@link AdapterGuard} does for providers: an
 * uncoded exception from the store (an application's own store, a driver's runtime exception) becomes
 * {@link CoreErrorCode#STORE_UNAVAILABLE}, retryable, so that it is never taken for a fault of the engine
 * and never stops a case. Coded exceptions and {@link Error}s pass unchanged.
 *
 * <p>Stateless; the wrapper is as thread-safe as the store it wraps.
 */
final class StoreGuard {

    private StoreGuard() {
    }

    static CaseStore guard(CaseStore store) {
        return (CaseStore) Proxy.newProxyInstance(CaseStore.class.getClassLoader(), new Class<?>[] {CaseStore.class},
                (proxy, method, args) -> invoke(store, method, args));
    }

    private static Object invoke(CaseStore store, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(store, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PosUnbindException || cause instanceof Error
                    || method.getDeclaringClass() == Object.class) {
                throw cause;
            }
            throw new PosUnbindException(CoreErrorCode.STORE_UNAVAILABLE, "The case store " + store.getClass().getName()
                    + " failed in " + method.getName() + " with " + AdapterGuard.describe(cause)
                    + "; the command may be sent again once the store works", null, cause);
        }
    }
}
