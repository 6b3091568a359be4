package io.posunbind.spi;

/**
 * Where the institution's approval of an unbind happens, as a provider declares it in
 * {@link PaymentProvider#institutionApproval()}. Since SPI 2.0.
 *
 * <ul>
 *   <li>{@link #BY_ADAPTER}: the provider submits the application itself through its
 *       {@link InstitutionApplicationAdapter} and reads the decision;</li>
 *   <li>{@link #ELSEWHERE}: the application travels outside posunbind (a bank portal, paper); the case
 *       waits until the application records the decision;</li>
 *   <li>{@link #NOT_NEEDED}: no institution approves unbinds at this provider (a terminal-management API
 *       such as Adyen's or Stripe's); the approval step is not planned.</li>
 * </ul>
 */
@API(status = API.Status.STABLE, since = "2.0")
public enum InstitutionApproval {
    /** Submitted and read through the provider's {@link InstitutionApplicationAdapter}. */
    BY_ADAPTER,
    /** Applied for outside posunbind; the case waits for the decision to be recorded. */
    ELSEWHERE,
    /** Nobody approves unbinds at this provider; the step is skipped. */
    NOT_NEEDED
}
