package callwatch.aggregator.cluster;

import java.util.List;

/** Adds batches' per-pharmacy counts to one {@link PharmacyMinute}; see {@link ApplyParts}. */
public final class ApplyPharmacies extends ApplyParts<PharmacyMinute, PharmacyRows> {
  public ApplyPharmacies(long[] seqs, List<PharmacyRows> parts) {
    super(seqs, parts);
  }

  @Override
  PharmacyMinute fresh() {
    return new PharmacyMinute();
  }
}
