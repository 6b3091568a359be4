package io.posunbind;

import io.posunbind.spi.API;

/**
 * How an engine instance has claimed due work since it started: for dashboards and for telling whether
 * instances share work (many claims returning few cases each means they compete for little work; many
 * takeovers mean instances die or stall while holding cases).
 *
 * @param claims       how many claims of due work it made (one store statement per batch, on the JDBC store)
 * @param casesClaimed how many cases those claims leased to it
 * @param takeovers    how many of those cases it took over from an instance whose lease had expired
 * @param heartbeats   how many times it extended the lease of a case it was still working on
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public record ClaimStats(long claims, long casesClaimed, long takeovers, long heartbeats) {

    /** Checks the counts. */
    public ClaimStats {
        if (claims < 0 || casesClaimed < 0 || takeovers < 0 || heartbeats < 0) {
            throw new IllegalArgumentException("Counts are never negative");
        }
        if (takeovers > casesClaimed) {
            throw new IllegalArgumentException("Takeovers are among the cases claimed");
        }
    }
}
