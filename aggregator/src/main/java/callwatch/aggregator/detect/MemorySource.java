package callwatch.aggregator.detect;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Slots and minutes held in maps: the detector fed from memory (the detection bench, tests). */
public class MemorySource implements Detector.Source {
  public final Map<Long, List<Row>> slots = new HashMap<>();
  public final Map<Long, List<PharmacyCount>> minutes = new HashMap<>();

  @Override
  public List<Row> slot(long slot) {
    return slots.getOrDefault(slot, List.of());
  }

  @Override
  public List<PharmacyCount> minute(long minute) {
    return minutes.getOrDefault(minute, List.of());
  }
}
