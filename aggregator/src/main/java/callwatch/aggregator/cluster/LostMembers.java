package callwatch.aggregator.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which members' journals history must wait for. Every acknowledged batch is on two disks: the
 * journal of the member that acknowledged it and a copy in one peer's journal. A member that
 * leaves alone is harmless: its peer is up and replays the copies. Members that leave together
 * (within {@link #TOGETHER_MILLIS} of each other, or before a partition loss) are not: a batch one
 * acknowledged may have its copy on the other only, and the cache may lack it (a replica promoted
 * during the first one's migrations was seen to, TwoMembersKilledTest); and when partitions are
 * lost, slot entries whose copies were on them are gone. Until those batches are back, no member
 * may write those slots to its files, or its history would miss the calls for good.
 *
 * <p>Of members lost together, all but one must come back (a member at the address with a new
 * identity that has replayed its journal), and every member up must have replayed its journal
 * since: the last one's batches are then on a replayed disk — its peer is either up or back. One
 * member alone whose loss lost partitions (no backups) must come back itself. A member not back
 * within {@code waitMillis} is given up (its journal is lost with it). Pure.
 */
public final class LostMembers {
  /** A member that was in the cluster when it was lost with others, and is awaited. */
  public record Lost(String address, String uuid, long sinceMillis) {}

  /**
   * What {@link #check} found: addresses still awaited, members back, members given up on, and
   * members no longer awaited because those back hold every batch they acknowledged.
   */
  public record Verdict(List<String> awaited, List<Lost> back, List<Lost> givenUp, List<Lost> covered) {}

  /** A member removed this long before a partition loss is taken as one of its causes. */
  static final long RECENT_MILLIS = 60_000;
  /** Two members removed within this time are lost together (the first one's migrations last seconds). */
  static final long TOGETHER_MILLIS = 30_000;
  private final long waitMillis;
  private final Map<String, Lost> removed = new HashMap<>();
  private final Map<String, Lost> awaited = new HashMap<>();
  /** The members lost with those awaited now (back ones included), by address; empty when none is awaited. */
  private final Set<String> lostTogether = new java.util.HashSet<>();
  /** Those of them that came back. */
  private final Set<String> cameBack = new java.util.HashSet<>();

  public LostMembers(long waitMillis) {
    this.waitMillis = waitMillis;
  }

  /**
   * A member left; {@code present}: address → identity of the members up now. If another left
   * shortly before and is not back, both are awaited; returns the members newly awaited.
   */
  public synchronized List<Lost> removed(String address, String uuid, Map<String, String> present, long now) {
    removed.put(address, new Lost(address, uuid, now));
    List<Lost> together = notBack(present, now, TOGETHER_MILLIS);
    if (together.size() < 2) return List.of();
    List<Lost> out = new ArrayList<>();
    for (Lost l : together) if (awaitOne(l)) out.add(l);
    return out;
  }

  /** Partitions were lost: the members removed lately and not back are awaited; returns them. */
  public synchronized List<Lost> partitionsLost(Map<String, String> present, long now) {
    List<Lost> out = notBack(present, now, RECENT_MILLIS);
    out.forEach(this::awaitOne);
    return out;
  }

  private List<Lost> notBack(Map<String, String> present, long now, long within) {
    List<Lost> out = new ArrayList<>();
    for (Lost l : removed.values()) {
      if (now - l.sinceMillis() <= within && !l.uuid().equals(present.get(l.address()))) out.add(l);
    }
    return out;
  }

  private boolean awaitOne(Lost l) {
    if (awaited.putIfAbsent(l.address(), l) != null) return false;
    lostTogether.add(l.address());
    return true;
  }

  /** A member awaited as another member saw it (from the cluster's record). */
  public synchronized void await(Lost l) {
    awaitOne(l);
  }

  public synchronized List<Lost> awaitedNow() {
    return List.copyOf(awaited.values());
  }

  /**
   * {@code present}: address → identity of the members up now; {@code ready}: identities of members
   * that have replayed their journal since they started and since members were last lost together.
   */
  public synchronized Verdict check(Map<String, String> present, Set<String> ready, long now) {
    List<Lost> back = new ArrayList<>();
    List<Lost> givenUp = new ArrayList<>();
    for (Lost l : List.copyOf(awaited.values())) {
      String uuid = present.get(l.address());
      if (uuid != null && !uuid.equals(l.uuid()) && ready.contains(uuid)) {
        back.add(l);
        awaited.remove(l.address());
        cameBack.add(l.address());
      } else if (now - l.sinceMillis() > waitMillis) {
        givenUp.add(l);
        awaited.remove(l.address());
      }
    }
    List<Lost> covered = List.of();
    // the last one's copies may be on a member that stayed: it must have replayed since, too
    if (awaited.size() == 1 && lostTogether.size() > 1 && cameBack.size() == lostTogether.size() - 1 && ready.containsAll(present.values())) {
      covered = List.copyOf(awaited.values());
      awaited.clear();
    }
    if (awaited.isEmpty()) {
      lostTogether.clear();
      cameBack.clear();
    }
    return new Verdict(List.copyOf(awaited.keySet()), back, givenUp, covered);
  }
}
