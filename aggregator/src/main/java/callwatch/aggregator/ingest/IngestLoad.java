package callwatch.aggregator.ingest;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The batches received and not yet stored, over all agents of this member. When a crowd of agents
 * returns with backlogs, new connections past {@link #limit} are told to come back in a moment
 * (503 with Retry-After) while those admitted stream at full speed: the member is kept busy, never
 * flattened, and no agent waits on a blind backoff.
 */
public final class IngestLoad {
  private final AtomicInteger pending = new AtomicInteger();
  private final int limit;

  public IngestLoad(int limit) {
    this.limit = limit;
  }

  void received() {
    pending.incrementAndGet();
  }

  void done() {
    pending.decrementAndGet();
  }

  /** Whether a new agent should wait: the member already has more work queued than it can start. */
  boolean busy() {
    return pending.get() >= limit;
  }

  public int pending() {
    return pending.get();
  }

  public int limit() {
    return limit;
  }
}
