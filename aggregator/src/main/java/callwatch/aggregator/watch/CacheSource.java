package callwatch.aggregator.watch;

import callwatch.aggregator.cluster.AgentSlot;
import callwatch.aggregator.cluster.LiveCache;
import callwatch.aggregator.cluster.PharmacyMinute;
import callwatch.aggregator.detect.Detector;
import callwatch.aggregator.detect.PharmacyCount;
import callwatch.aggregator.detect.Row;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The detector's view of the replicated cache for one tick: slots and pharmacy minutes of every agent. Blocking. */
final class CacheSource implements Detector.Source {
  private final LiveCache cache;
  private final Collection<String> agents;

  CacheSource(LiveCache cache, Collection<String> agents) {
    this.cache = cache;
    this.agents = agents;
  }

  @Override
  public List<Row> slot(long slot) {
    Set<String> keys = new HashSet<>();
    for (String a : agents) keys.add(AgentSlot.key(a, slot));
    List<Row> rows = new ArrayList<>();
    cache.slotsBlocking(keys).forEach((key, s) -> {
      String agent = key.substring(0, key.lastIndexOf('|'));
      s.rows.forEach((rk, v) -> {
        String[] p = AgentSlot.split(rk);
        rows.add(new Row(agent, p[0], p[1], p[2], p[3], v));
      });
    });
    return rows;
  }

  /**
   * Every agent's rows of the minute as they are: a pharmacy that several servers saw comes once per
   * server, which the detector adds up anyway (merging them here first cost a map insert per call).
   */
  @Override
  public List<PharmacyCount> minute(long minute) {
    Set<String> keys = new HashSet<>();
    for (String a : agents) keys.add(PharmacyMinute.key(a, minute));
    List<PharmacyCount> out = new ArrayList<>();
    for (PharmacyMinute m : cache.pharmacyMinutesBlocking(keys).values()) {
      m.rows.forEach((pharmacy, service, vendor, calls, errors, e401) ->
          out.add(new PharmacyCount(pharmacy, service, vendor, calls, errors, e401)));
    }
    return out;
  }
}
