package callwatch.aggregator.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Drops cache entries by the agents' event time (see {@link ExpiryHorizon}); the maps' time to
 * live by wall time stays as the backstop. Every member publishes how far it has written each
 * agent; the oldest member drops, a bounded number of entries per round, and records per agent how
 * far it has dropped, so the next oldest goes on from there. Blocking (Hazelcast calls).
 */
public final class CacheExpiry {
  static final String MARKS_MAP = "callwatch.writtenMarks";
  static final String DROPPED_MAP = "callwatch.droppedBefore";
  /** Per round: a backlog's old entries are worked off over several rounds, never in one long pause. */
  static final int MAX_PER_ROUND = 20_000;
  private final IMap<String, String> marks;
  private final IMap<String, Long> dropped;
  private final IMap<String, AgentSlot> slots;
  private final IMap<String, PharmacyMinute> minutes;
  private final MemberList members;
  private final long slotWindowSeconds;
  private final long minuteWindowSeconds;
  /** What detection has judged up to (s), Long.MIN_VALUE when no detector reports. */
  private final java.util.function.LongSupplier judgedUpTo;
  private String lastPublished = "";

  public CacheExpiry(HazelcastInstance hz, MemberList members, long slotWindowSeconds, long minuteWindowSeconds,
                     java.util.function.LongSupplier judgedUpTo) {
    this.judgedUpTo = judgedUpTo;
    this.marks = hz.getMap(MARKS_MAP);
    this.dropped = hz.getMap(DROPPED_MAP);
    this.slots = hz.getMap(ClusterSetup.SLOTS_MAP);
    this.minutes = hz.getMap(ClusterSetup.PHARMACY_MAP);
    this.members = members;
    this.slotWindowSeconds = slotWindowSeconds;
    this.minuteWindowSeconds = minuteWindowSeconds;
  }

  /** Slot entries and pharmacy minutes this member holds as owner (not backups): what /api/health shows. Local, cheap. */
  public long[] ownedEntries() {
    return new long[] {slots.getLocalMapStats().getOwnedEntryCount(), minutes.getLocalMapStats().getOwnedEntryCount()};
  }

  /** This member's written marks, for the member that drops. */
  public void publishBlocking(Map<String, Long> writtenUpTo) {
    String json = new JsonObject(new HashMap<>(writtenUpTo)).encode();
    if (json.equals(lastPublished)) return;
    marks.set(members.self(), json);
    lastPublished = json;
  }

  /** Drops what every member has written and the agent's event time has left behind; returns the entries dropped. */
  public int dropBlocking(Map<String, AgentState> agents) {
    Map<String, Map<String, Long>> written = new HashMap<>();
    marks.forEach((member, json) -> {
      Map<String, Long> m = new HashMap<>();
      new JsonObject(json).forEach(e -> m.put(e.getKey(), ((Number) e.getValue()).longValue()));
      written.put(member, m);
    });
    int done = 0;
    long judged = judgedUpTo.getAsLong();
    for (Map.Entry<String, AgentState> e : agents.entrySet()) {
      if (done >= MAX_PER_ROUND) break;
      String agent = e.getKey();
      AgentState st = e.getValue();
      if (st.firstSlot == Long.MAX_VALUE) continue;
      long slotHorizon = ExpiryHorizon.notBeyondJudged(ExpiryHorizon.slots(agent, st.closedBefore, slotWindowSeconds, members.all(), written),
          judged, callwatch.aggregator.store.RrdLayout.STEP);
      done += drop(slots, "slots|" + agent, st.firstSlot, slotHorizon, callwatch.aggregator.store.RrdLayout.STEP,
          MAX_PER_ROUND - done, t -> AgentSlot.key(agent, t));
      long minuteHorizon = ExpiryHorizon.notBeyondJudged(ExpiryHorizon.minutes(st.closedBefore, minuteWindowSeconds), judged, 60);
      done += drop(minutes, "minutes|" + agent, st.firstSlot, minuteHorizon, 60, MAX_PER_ROUND - done, t -> PharmacyMinute.key(agent, t));
    }
    return done;
  }

  private int drop(IMap<String, ?> map, String mark, long first, long horizon, long step, int budget,
                   java.util.function.LongFunction<String> key) {
    if (horizon == Long.MIN_VALUE || budget <= 0) return 0;
    Long before = dropped.get(mark);
    long from = Math.max(before == null ? Long.MIN_VALUE : before, Math.floorDiv(first, step) * step);
    if (from >= horizon) return 0;
    long to = Math.min(horizon, from + budget * step);
    List<CompletableFuture<Boolean>> pending = new ArrayList<>();
    for (long t = from; t < to; t += step) pending.add(map.deleteAsync(key.apply(t)).toCompletableFuture());
    CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).join();
    dropped.set(mark, to);
    return (int) ((to - from) / step);
  }
}
