package callwatch.aggregator.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Adds batches' per-pharmacy counts to one {@link PharmacyMinute}; see {@link ApplyParts}. */
public final class ApplyPharmacies extends ApplyParts<PharmacyMinute> {
  public ApplyPharmacies(long seq, Map<String, long[]> rows) {
    this(new long[] {seq}, List.of(new HashMap<>(rows)));
  }

  public ApplyPharmacies(long[] seqs, List<Map<String, long[]>> parts) {
    super(seqs, parts);
  }

  @Override
  PharmacyMinute fresh() {
    return new PharmacyMinute();
  }
}
