package callwatch.agent.spool;

import java.util.TreeSet;

/**
 * Which spooled batches may still be merged into the next one: while no aggregator is talking to
 * the agent, those this process has not sent yet (a batch spooled before it started may have been sent by the process before). The pipeline
 * claims a batch on its worker thread before merging it; the shipper, on the event loop, asks
 * before sending each batch. A batch merged away is never sent: its counts travel in the next.
 * Thread-safe.
 */
public final class SendGate {
  private long sentUpTo;
  private long merging = -1;
  private final TreeSet<Long> mergedAway = new TreeSet<>();

  /** @param spooledAtStart the newest batch in the spool when this process started */
  public SendGate(long spooledAtStart) {
    this.sentUpTo = spooledAtStart;
  }

  /**
   * Whether the shipper is talking to an aggregator (from its hello on). Batches are merged only
   * while it is not: the aggregator refuses a seq more than one past what the agent's hello said
   * it had spooled or what it has sent since (a bogus jump would make its later batches look like
   * duplicates), so a merge may skip at most the one seq a merge already under way when the hello
   * left skips. The demo saw it: merges while the window was full gave "seq 19 jumps ahead".
   */
  private boolean talking;

  /** The shipper says hello (true) or lost its connection (false). */
  public synchronized void talking(boolean talking) {
    this.talking = talking;
  }

  /** True if {@code seq} was never sent: it is then held back until {@link #merged} or {@link #release}. */
  public synchronized boolean claim(long seq) {
    if (talking || seq <= sentUpTo || merging >= 0) return false;
    merging = seq;
    return true;
  }

  /** The claimed batch now travels inside the next one. */
  public synchronized void merged() {
    mergedAway.add(merging);
    merging = -1;
  }

  /** The claimed batch was not merged after all: it may be sent. */
  public synchronized void release() {
    merging = -1;
  }

  /** What the shipper may do with {@code seq} now. */
  public enum Verdict { SEND, SKIP, WAIT }

  /** Asked by the shipper before sending {@code seq}; SEND marks it as sent. */
  public synchronized Verdict beforeSending(long seq) {
    if (mergedAway.contains(seq)) return Verdict.SKIP;
    if (seq == merging) return Verdict.WAIT;
    sentUpTo = Math.max(sentUpTo, seq);
    return Verdict.SEND;
  }

  /** Forgets what is acknowledged. */
  public synchronized void acked(long seq) {
    mergedAway.headSet(seq, true).clear();
  }
}
