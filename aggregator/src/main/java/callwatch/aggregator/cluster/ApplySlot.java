package callwatch.aggregator.cluster;

import java.util.List;
import java.util.Map;

/** Adds batches' rows to one {@link AgentSlot}; see {@link ApplyParts}. */
public final class ApplySlot extends ApplyParts<AgentSlot, Map<String, long[]>> {
  public ApplySlot(long[] seqs, List<Map<String, long[]>> parts) {
    super(seqs, parts);
  }

  @Override
  AgentSlot fresh() {
    return new AgentSlot();
  }
}
