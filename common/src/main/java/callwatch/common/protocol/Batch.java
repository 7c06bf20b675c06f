package callwatch.common.protocol;

import java.util.List;

/**
 * The unit of delivery: everything an agent read since its previous batch.
 *
 * <p>{@code seq} grows by one per batch of an agent, across restarts (it is kept in the agent's
 * checkpoint). {@code closedBefore} is the agent's promise that it sends nothing more for slots
 * that start before it, so the aggregator can write those slots into its round-robin files.
 * {@code seenUpToMillis} is the agent's event time up to which it has read every line (its
 * files' lines up to then are in this or earlier batches): detection's clock, far finer than
 * {@code closedBefore}, which waits a grace period. Older agents omit it: then closedBefore.
 */
public record Batch(long seq, int stepSeconds, long closedBefore, long seenUpToMillis, List<SlotDelta> slots,
                    List<PharmacyRow> pharmacies, AgentStats stats) {}
