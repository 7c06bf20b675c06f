package callwatch.aggregator.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adds batches' rows to one cache entry on the member that owns it, atomically; the owner copies
 * the result to the backups before the call returns (synchronous backups). Several batches of one
 * agent travel in one call (a backlog is stored in a few calls per entry, not one per batch), each
 * under its own seq, so the entry's set of applied batches keeps every one of them exactly once
 * however they are grouped when sent again.
 */
abstract class ApplyParts<V extends ApplyParts.Target<P>, P> implements EntryProcessor<String, V, Boolean> {
  /** An entry that adds a batch's rows once per seq. */
  interface Target<P> {
    boolean add(long seq, P rows);
  }

  private final long[] seqs;
  private final List<P> parts;

  /** {@code parts.get(i)} are the rows of batch {@code seqs[i]}. */
  ApplyParts(long[] seqs, List<P> parts) {
    if (seqs.length != parts.size()) throw new IllegalArgumentException(seqs.length + " seqs for " + parts.size() + " parts");
    this.seqs = seqs;
    this.parts = new ArrayList<>(parts);
  }

  /** A new, empty entry. */
  abstract V fresh();

  long[] seqs() {
    return seqs;
  }

  List<P> parts() {
    return parts;
  }

  @Override
  public Boolean process(Map.Entry<String, V> entry) {
    V value = entry.getValue() == null ? fresh() : entry.getValue();
    boolean added = false;
    for (int i = 0; i < seqs.length; i++) added |= value.add(seqs[i], parts.get(i));
    if (added) entry.setValue(value);
    return added;
  }
}
