package callwatch.aggregator.ingest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The bytes of batches received and not yet stored, over all agents of this member, kept within a
 * limit. When a crowd of agents returns with backlogs, an agent whose frame takes the total past
 * the limit is held back (its connection is not read; TCP makes it wait) until stored batches
 * bring the total under the limit again, and new connections are told to come back in a moment
 * (503 with Retry-After). An agent with nothing else in the member is not held ({@link #holdBack}),
 * so the member holds at most the limit and two frames per agent, is kept
 * busy, and is never flattened; no agent waits on a blind backoff.
 */
public final class IngestLoad {
  private final long limit;
  private long pending;
  private long peak;
  /** What resumes each agent held back (one per agent), in the order they were held. */
  private final Set<Runnable> heldBack = new LinkedHashSet<>();

  public IngestLoad(long limitBytes) {
    this.limit = limitBytes;
  }

  synchronized void received(long bytes) {
    pending += bytes;
    peak = Math.max(peak, pending);
  }

  /**
   * Whether the agent that just sent a frame must wait: the member holds the limit or more and
   * the agent has other batches in it ({@code ownBefore} bytes, this frame not counted). An agent
   * with nothing else in the member always gets this batch in: the batches filling the member may
   * be waiting for detection (DetectionPace), which may be waiting for this very agent's slots;
   * holding it too would leave both waiting until the agents time out. If held, {@code resume} runs
   * once the total is under the limit again (on the thread that stored the batch that brought it
   * there), unless the agent is {@link #forget forgotten} first.
   */
  synchronized boolean holdBack(Runnable resume, long ownBefore) {
    if (pending < limit || ownBefore <= 0) return false;
    heldBack.add(resume);
    return true;
  }

  /** An agent no longer held (it resumed on its own, or its connection closed). */
  synchronized void forget(Runnable resume) {
    heldBack.remove(resume);
  }

  void done(long bytes) {
    List<Runnable> resume;
    synchronized (this) {
      pending -= bytes;
      if (pending >= limit || heldBack.isEmpty()) return;
      resume = new ArrayList<>(heldBack);
      heldBack.clear();
    }
    resume.forEach(Runnable::run);
  }

  /** Whether a new agent should wait: the member already has more work queued than it can start. */
  synchronized boolean busy() {
    return pending >= limit;
  }

  public synchronized long pending() {
    return pending;
  }

  /** The most this member has held at once since it started. */
  public synchronized long peak() {
    return peak;
  }

  public synchronized int heldBack() {
    return heldBack.size();
  }

  public long limit() {
    return limit;
  }
}
