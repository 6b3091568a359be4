package io.posunbind.internal.engine;

import io.posunbind.StepKind;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The handler of every {@link StepKind}, checked complete when built: a new kind without a handler fails
 * the engine's construction (and every test), not a case in production. Immutable and thread-safe.
 */
final class StepHandlers {

    private final Map<StepKind, StepHandler> handlers;

    private StepHandlers(Map<StepKind, StepHandler> handlers) {
        this.handlers = handlers;
    }

    /** Collects handlers by kind; each kind exactly once. */
    static final class Registry {

        private final Map<StepKind, StepHandler> handlers = new EnumMap<>(StepKind.class);

        void add(StepKind kind, StepHandler handler) {
            if (handlers.putIfAbsent(kind, Objects.requireNonNull(handler, "handler")) != null) {
                throw new IllegalStateException("Two handlers for step kind " + kind);
            }
        }

        StepHandlers build() {
            for (StepKind kind : StepKind.values()) {
                if (!handlers.containsKey(kind)) {
                    throw new IllegalStateException("No handler for step kind " + kind);
                }
            }
            return new StepHandlers(new EnumMap<>(handlers));
        }
    }

    StepHandler of(StepKind kind) {
        return handlers.get(kind);
    }
}
