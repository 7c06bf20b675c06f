package callwatch.agent.spool;

import callwatch.common.protocol.Batch;
import callwatch.common.protocol.BatchMerge;
import callwatch.common.protocol.ProtocolCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Spools a batch just cut, merged with the batch before it when that one was never sent and no
 * aggregator is talking to the agent (see {@link SendGate}): an outage's backlog then travels in a few
 * large batches instead of one a second, and the aggregator stores it with far fewer calls per
 * cache entry. Exactly once is untouched: the merged batch takes the newer seq, the older seq is
 * never sent by anyone (the gate keeps the shipper off it, and a batch spooled before this
 * process started is never merged, as an earlier process may have sent it), and the merged batch
 * is the only one on disk once the older is deleted (see {@link DiskSpool}). Blocking: the
 * agent's worker thread.
 */
public final class UnsentMerge {
  /** A merged batch grows to about this size, then the next one starts. */
  static final int MAX_BYTES = 256 * 1024;
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(UnsentMerge.class.getName());
  private final DiskSpool spool;
  /** The last merged batch, decoded: the next cut merges into it without reading it back. */
  private Batch last;
  private long lastSeq = -1;

  public UnsentMerge(DiskSpool spool) {
    this.spool = spool;
  }

  /** Spools {@code text} as batch {@code seq}; returns what was spooled (merged or as it was). */
  public byte[] spoolBlocking(SendGate gate, long seq, String state, byte[] text) throws IOException {
    long previous = seq - 1;
    long previousSize = spool.sizeOf(previous);
    if (gate != null && previousSize >= 0 && previousSize + text.length <= MAX_BYTES && gate.claim(previous)) {
      boolean merged = false;
      try {
        Batch older = lastSeq == previous ? last : readBack(previous);
        if (older != null) {
          Batch m = BatchMerge.merge(older, ProtocolCodec.decodeBatchText(new String(text, StandardCharsets.UTF_8)));
          byte[] mergedText = BatchMerge.text(m, (int) previousSize + text.length);
          spool.replaceWithMergedBlocking(previous, seq, state, mergedText);
          merged = true;
          last = m;
          lastSeq = seq;
          return mergedText;
        }
      } catch (IOException | RuntimeException e) {
        // a full disk, or a batch this version cannot read back: spooled as it is
        LOG.fine("batch " + previous + " not merged: " + e);
      } finally {
        if (merged) gate.merged();
        else gate.release();
      }
    }
    last = null;
    lastSeq = -1;
    spool.appendBlocking(seq, state, text);
    return text;
  }

  private Batch readBack(long seq) throws IOException {
    String text = spool.readBatchBlocking(seq);
    return text == null ? null : ProtocolCodec.decodeBatchText(text);
  }
}
