package callwatch.aggregator.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which members' journals history must wait for. When two members die at once, slot entries whose
 * two copies were on them are gone from the cache; the batches are still in the journals of the
 * members that acknowledged them, and come back when those members restart. Until then no member
 * may write those slots to its files, or its history would miss the calls for good. A lost member
 * stops being awaited once a member at its address with a new identity has replayed its journal,
 * or after {@code waitMillis} (it is not coming back: its journal is lost with it). Pure.
 */
public final class LostMembers {
  /** A member that was in the cluster when partitions were lost, and is awaited. */
  public record Lost(String address, String uuid, long sinceMillis) {}

  /** What {@link #check} found: addresses still awaited, and members given up on. */
  public record Verdict(List<String> awaited, List<Lost> back, List<Lost> givenUp) {}

  /** A member removed this long before a partition loss is taken as one of its causes. */
  static final long RECENT_MILLIS = 60_000;
  private final long waitMillis;
  private final Map<String, Lost> removed = new HashMap<>();
  private final Map<String, Lost> awaited = new HashMap<>();

  public LostMembers(long waitMillis) {
    this.waitMillis = waitMillis;
  }

  public synchronized void removed(String address, String uuid, long now) {
    removed.put(address, new Lost(address, uuid, now));
  }

  /** Partitions were lost: the members removed lately and not back are awaited; returns them. */
  public synchronized List<Lost> partitionsLost(Map<String, String> present, long now) {
    List<Lost> out = new ArrayList<>();
    for (Lost l : removed.values()) {
      if (now - l.sinceMillis() <= RECENT_MILLIS && !l.uuid().equals(present.get(l.address()))) {
        awaited.putIfAbsent(l.address(), l);
        out.add(l);
      }
    }
    return out;
  }

  /** A member awaited as another member saw it (from the cluster's record). */
  public synchronized void await(Lost l) {
    awaited.putIfAbsent(l.address(), l);
  }

  public synchronized List<Lost> awaitedNow() {
    return List.copyOf(awaited.values());
  }

  /**
   * {@code present}: address → identity of the members up now; {@code ready}: identities of members
   * that have replayed their journal since they started.
   */
  public synchronized Verdict check(Map<String, String> present, Set<String> ready, long now) {
    List<Lost> back = new ArrayList<>();
    List<Lost> givenUp = new ArrayList<>();
    for (Lost l : List.copyOf(awaited.values())) {
      String uuid = present.get(l.address());
      if (uuid != null && !uuid.equals(l.uuid()) && ready.contains(uuid)) {
        back.add(l);
        awaited.remove(l.address());
      } else if (now - l.sinceMillis() > waitMillis) {
        givenUp.add(l);
        awaited.remove(l.address());
      }
    }
    return new Verdict(List.copyOf(awaited.keySet()), back, givenUp);
  }
}
