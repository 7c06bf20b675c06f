package callwatch.aggregator.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.HashMap;
import java.util.Map;

/**
 * Adds one batch's rows to one {@link AgentSlot} on the member that owns the entry, atomically;
 * the owner copies the result to the backup before the call returns (synchronous backup).
 */
public final class ApplySlot implements EntryProcessor<String, AgentSlot, Boolean> {
  private final long seq;
  private final HashMap<String, long[]> rows;

  public ApplySlot(long seq, Map<String, long[]> rows) {
    this.seq = seq;
    this.rows = new HashMap<>(rows);
  }

  long seq() {
    return seq;
  }

  Map<String, long[]> rows() {
    return rows;
  }

  @Override
  public Boolean process(Map.Entry<String, AgentSlot> entry) {
    AgentSlot slot = entry.getValue() == null ? new AgentSlot() : entry.getValue();
    boolean added = slot.add(seq, rows);
    if (added) entry.setValue(slot);
    return added;
  }
}
