package callwatch.aggregator.ingest;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of batches received and not yet stored, over all agents of this member. When a crowd of agents
 * returns with backlogs, new connections past {@link #limit} are told to come back in a moment
 * (503 with Retry-After) while those admitted stream at full speed: the member is kept busy, never
 * flattened, and no agent waits on a blind backoff.
 */
public final class IngestLoad {
  private final AtomicLong pending = new AtomicLong();
  private final long limit;

  public IngestLoad(long limitBytes) {
    this.limit = limitBytes;
  }

  void received(long bytes) {
    pending.addAndGet(bytes);
  }

  void done(long bytes) {
    pending.addAndGet(-bytes);
  }

  /** Whether a new agent should wait: the member already has more work queued than it can start. */
  boolean busy() {
    return pending.get() >= limit;
  }

  public long pending() {
    return pending.get();
  }

  public long limit() {
    return limit;
  }
}
