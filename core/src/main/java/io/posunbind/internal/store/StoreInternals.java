package io.posunbind.internal.store;

import io.posunbind.internal.limits.LimitBoard;
import io.posunbind.store.CaseStore;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the engine needs from a store of its own module beyond the public {@link CaseStore} contract, without
 * putting internal types on the public store's API: the JDBC store registers here, when its class is
 * initialised, how to reach its {@link LimitBoard}. Thread-safe.
 */
public final class StoreInternals {

    private static volatile Function<CaseStore, Optional<LimitBoard>> limitBoards = store -> Optional.empty();

    private StoreInternals() {
    }

    /** Called once by the JDBC store's class. */
    public static void registerLimitBoards(Function<CaseStore, Optional<LimitBoard>> boards) {
        limitBoards = Objects.requireNonNull(boards, "boards");
    }

    /**
     * The board on which the instances sharing {@code store}'s database announce their shares of provider
     * limits; empty for a store that serves one process (in memory) or a store of the application's own.
     */
    public static Optional<LimitBoard> limitBoard(CaseStore store) {
        return limitBoards.apply(Objects.requireNonNull(store, "store"));
    }
}
