/**
 * A sandbox payment provider that behaves like a real acquirer, for demos, scenario tests and
 * benchmarks of the posunbind engine.
 *
 * <p>Start at {@link io.posunbind.testkit.sandbox.SandboxProvider}: it implements the provider SPI on
 * top of a {@link io.posunbind.testkit.sandbox.SandboxBackend}, an in-memory acquirer backend that keeps
 * merchants, terminals, settlement accounts, unsettled funds and every operation it received under its
 * idempotency key. Tests seed the backend, drive the provider through the SPI, inject faults, complete
 * asynchronous reviews and then inspect the backend's state.
 *
 * <p>The sandbox depends on the SPI ({@code io.posunbind.spi}) only, like any real adapter.
 *
 * <p>Null is not a value in this package: parameters and return values are non-null unless typed
 * {@link java.util.Optional}.
 *
 * <h2>Idempotency</h2>
 * Every mutating request is remembered under its {@link io.posunbind.spi.IdempotencyKey} together with its parameters
 * (and the case id). The same key with the same parameters replays the remembered outcome without a
 * second effect; for an operation still under review the replay is its current outcome. The same key
 * with other parameters, or for another kind of operation, is {@code Rejected} with
 * {@link io.posunbind.spi.StandardErrorCode#IDEMPOTENCY_KEY_REUSED}. Three answers are <em>not</em> remembered, so that the
 * same key can succeed later: transient failures, rejections whose code is retryable
 * ({@link io.posunbind.spi.StandardErrorCode#FUNDS_UNSETTLED}: wait for settlement, then send again), and the refusal of an
 * operation the merchant has not verified yet ({@code SBX-VERIFICATION-REQUIRED}), which, as at Stripe,
 * comes before the operation runs. Other rejections are remembered and replayed, as Stripe does.
 *
 * <h2>Guards</h2>
 * Like a real acquirer (PAXSTORE-like terminal management), the sandbox refuses requests the state does
 * not allow, with a {@link io.posunbind.spi.StandardErrorCode} and its own {@code SBX-...} provider code:
 * <ul>
 *   <li>unknown terminal or merchant: {@code TERMINAL_NOT_FOUND} / {@code MERCHANT_NOT_FOUND};</li>
 *   <li>disable a terminal that is not {@code ACTIVE}: {@code TERMINAL_STATE_CONFLICT};</li>
 *   <li>unbind an {@code ACTIVE} terminal: {@code TERMINAL_ACTIVE}; one not {@code DISABLED}, or with
 *       peripherals still bound: {@code TERMINAL_STATE_CONFLICT}; with funds unsettled or in flight:
 *       {@code FUNDS_UNSETTLED};</li>
 *   <li>decommission an {@code ACTIVE} terminal: {@code TERMINAL_ACTIVE}; one not {@code UNBOUND}:
 *       {@code TERMINAL_STATE_CONFLICT};</li>
 *   <li>unbind a peripheral not bound to the terminal: {@code INVALID_REQUEST};</li>
 *   <li>unbind the settlement account while anything is unsettled: {@code Rejected} with
 *       {@code FUNDS_UNSETTLED}, a retryable code, because Chinese acquirers refuse the change with an error
 *       until T+1 settlement rather than queue it; another account than the bound one:
 *       {@code ACCOUNT_OWNERSHIP_MISMATCH}; while an earlier unbind is under review, or with none bound:
 *       {@code INVALID_REQUEST}; sooner after the last change than the merchant's limit allows
 *       ({@link SandboxSettlement#setAccountChangeLimit}): {@code ACCOUNT_CHANGE_LIMIT};</li>
 *   <li>detach an {@code ACTIVE} terminal from the merchant info: {@code TERMINAL_ACTIVE};</li>
 *   <li>delete a merchant while any terminal is still bound to it ({@code ACTIVE} or {@code DISABLED}):
 *       {@code MERCHANT_HAS_ACTIVE_TERMINALS}; with funds unsettled: {@code FUNDS_UNSETTLED};</li>
 *   <li>bind a terminal to another merchant (换绑) while it is still bound to any merchant, or is not
 *       {@code UNBOUND}: {@code TERMINAL_STATE_CONFLICT}, so that no terminal serves two merchants;</li>
 *   <li>set up a terminal that is not {@code NEW}: {@code TERMINAL_STATE_CONFLICT}; of another model:
 *       {@code INVALID_REQUEST};</li>
 *   <li>run a test transaction on a terminal not set up: {@code TERMINAL_STATE_CONFLICT}; above the limit
 *       (one yuan by default) or not positive: {@code INVALID_REQUEST};</li>
 *   <li>void a test transaction that does not exist on the terminal or is already voided:
 *       {@code INVALID_REQUEST};</li>
 *   <li>an operation the merchant must verify first
 *       ({@link SandboxVerifications#requireVerification}) without a verified, unspent challenge:
 *       {@code NOT_AUTHORIZED} with provider code {@code SBX-VERIFICATION-REQUIRED}, before any other guard;
 *       issue an SMS challenge to a merchant without a registered phone, or an own-account check without a
 *       settlement account: {@code INVALID_REQUEST};</li>
 *   <li>a context whose {@link io.posunbind.spi.OperationKind} is not the method's: {@code INVALID_REQUEST}. Detaching a
 *       terminal from the merchant info travels as {@link io.posunbind.spi.OperationKind#MODIFY_MERCHANT_INFO}.</li>
 * </ul>
 */
package io.posunbind.testkit.sandbox;
