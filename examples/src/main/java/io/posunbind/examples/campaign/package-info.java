/**
 * Crash campaigns and cluster runs: {@link io.posunbind.examples.campaign.CampaignWorker} is one engine
 * instance in its own JVM, working through the {@linkplain io.posunbind.examples.campaign.CampaignCases
 * campaign's cases} against the remote sandbox, built to be killed with {@code kill -9} at any moment and
 * started again. The tests that kill and restart it live in the test tree.
 *
 * <p>Null is not a value in this package: parameters and return values are non-null unless typed
 * {@link java.util.Optional}.
 */
package io.posunbind.examples.campaign;
