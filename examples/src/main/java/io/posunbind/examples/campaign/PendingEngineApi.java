package io.posunbind.examples.campaign;

import io.posunbind.CaseId;
import io.posunbind.CaseSnapshot;
import io.posunbind.UnbindRequest;
import io.posunbind.Unbinder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;

/**
 * Reaches the engine API that issue 3 adds while it is being written on another branch, so the campaign
 * runs on today's engine and uses the new API the moment it is merged, without an edit here:
 * <ul>
 *   <li>{@code CaseSnapshot Unbinder.open(CaseId caseId, UnbindRequest request)}: opens a case under a
 *       chosen id, or returns the existing case with that id, so opening survives a crash;</li>
 *   <li>{@code Unbinder.Builder Unbinder.Builder.instanceId(String)} and
 *       {@code Unbinder.Builder Unbinder.Builder.leaseDuration(Duration)}: the instance's name and how long
 *       its claim on a case lasts without a heartbeat.</li>
 * </ul>
 * Each is looked up once by reflection; when absent the caller falls back (see {@link CampaignWorker}).
 * Delete this class and call the methods directly once they are on {@code main}.
 *
 * <p>Thread-safe: the looked-up methods are immutable.
 */
final class PendingEngineApi {

    private static final Optional<Method> OPEN_WITH_ID = method(Unbinder.class, "open", CaseId.class,
            UnbindRequest.class);
    private static final Optional<Method> INSTANCE_ID = method(Unbinder.Builder.class, "instanceId", String.class);
    private static final Optional<Method> LEASE_DURATION = method(Unbinder.Builder.class, "leaseDuration",
            Duration.class);

    private PendingEngineApi() {
    }

    /** Whether {@code Unbinder.open(CaseId, UnbindRequest)} exists. */
    static boolean canOpenWithId() {
        return OPEN_WITH_ID.isPresent();
    }

    /** Whether the builder takes an instance id and a lease duration. */
    static boolean hasLeases() {
        return INSTANCE_ID.isPresent() && LEASE_DURATION.isPresent();
    }

    /** Calls {@code unbinder.open(caseId, request)}; only when {@link #canOpenWithId()}. */
    static CaseSnapshot open(Unbinder unbinder, CaseId caseId, UnbindRequest request) {
        return (CaseSnapshot) invoke(OPEN_WITH_ID.orElseThrow(), unbinder, caseId, request);
    }

    /** Sets the instance id and lease duration when the builder has them; returns whether it did. */
    static boolean applyLease(Unbinder.Builder builder, String instanceId, Duration leaseDuration) {
        if (!hasLeases()) {
            return false;
        }
        invoke(INSTANCE_ID.get(), builder, instanceId);
        invoke(LEASE_DURATION.get(), builder, leaseDuration);
        return true;
    }

    private static Optional<Method> method(Class<?> owner, String name, Class<?>... parameters) {
        try {
            return Optional.of(owner.getMethod(name, parameters));
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        }
    }

    private static Object invoke(Method method, Object target, Object... args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            // Let the engine's own exceptions through unchanged, so callers can switch on their codes.
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(method + " failed", e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(method + " is not public", e);
        }
    }
}
