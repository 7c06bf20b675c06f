package callwatch.aggregator.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Watches the cluster for this member: one plain log line per member joining or leaving (instead of
 * Hazelcast's stack traces); when a member leaves, asks for this member's journal to be replayed
 * before history is written again; when members leave together (within seconds) or the cache lost
 * partitions, it also tells the writer whose journals to wait for (see
 * {@link LostMembers}). The members awaited are also kept in the cluster, so that a member that
 * restarts meanwhile waits for the others too.
 */
public final class ClusterWatch {
  private static final Logger LOG = Logger.getLogger(ClusterWatch.class.getName());
  static final String LOST_MAP = "callwatch.lostMembers";
  static final String READY_MAP = "callwatch.ready";
  private final HazelcastInstance hz;
  private final MemberList expected;
  private final LostMembers lost;
  private final long waitMillis;
  private final IMap<String, String> lostInCluster;
  private final IMap<String, Long> ready;
  private final AtomicBoolean replayRequested = new AtomicBoolean();
  private final AtomicLong lastLossMillis = new AtomicLong();
  /** Counts losses of members together; a replay counts for being ready only if taken after the last. */
  private final AtomicLong lossGeneration = new AtomicLong();
  /** The start's replay counts for generation 0. */
  private volatile long replayTakenAt = 0;
  /** The generation this member last published itself ready for (a loss makes it old). */
  private volatile long readyPublishedAt = -1;
  private volatile List<String> lastAwaited = List.of();

  public ClusterWatch(HazelcastInstance hz, MemberList expected, long waitMillis) {
    this.hz = hz;
    this.expected = expected;
    this.lost = new LostMembers(waitMillis);
    this.waitMillis = waitMillis;
    this.lostInCluster = hz.getMap(LOST_MAP);
    this.ready = hz.getMap(READY_MAP);
    hz.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {
        LOG.info("cluster: member " + address(e.getMember()) + " joined; " + upLine(e.getMembers().size()));
      }

      @Override
      public void memberRemoved(MembershipEvent e) {
        List<LostMembers.Lost> together = lost.removed(address(e.getMember()), e.getMember().getUuid().toString(), present(),
            System.currentTimeMillis());
        LOG.info("cluster: member " + address(e.getMember()) + " left; " + upLine(e.getMembers().size())
            + "; its agents reconnect to the others");
        if (!together.isEmpty()) {
          // this member's record of being ready no longer holds: it is made again after its next replay
          lossGeneration.incrementAndGet();
          ready.removeAsync(hz.getCluster().getLocalMember().getUuid().toString());
          // recorded in the cluster now, not at the next history round: a member that restarts
          // meanwhile must wait too (this one may stay without the majority, and without rounds, until then)
          for (LostMembers.Lost l : together) lostInCluster.putAsync(l.address(), l.sinceMillis() + " " + l.uuid(), 1, TimeUnit.DAYS);
          LOG.warning("cluster: " + String.join(", ", together.stream().map(LostMembers.Lost::address).toList())
              + " left together: a batch one of them acknowledged may have its copy on the other only; no member writes history"
              + " until all but one of them are back and have replayed their journals (at most "
              + TimeUnit.MILLISECONDS.toMinutes(waitMillis) + " min)");
        }
        // Backups are promoted without a word, but a replica promoted while two members died within
        // a second (during the first one's migrations) was seen to lack a batch this member had
        // acknowledged (TwoMembersKilledTest). Putting this member's journal back into the cache
        // before the next history round costs little (it holds only what is not yet written) and
        // is idempotent (each entry's set of applied batches).
        replayRequested.set(true); // after the count above: the replay it asks for comes after this loss
      }
    });
    for (String map : List.of(ClusterSetup.SLOTS_MAP, ClusterSetup.AGENTS_MAP, ClusterSetup.PHARMACY_MAP)) {
      hz.getMap(map).addPartitionLostListener(event -> partitionsLost());
    }
  }

  private String upLine(int up) {
    int majority = expected.majority();
    String line = up + " of " + expected.size() + " members up";
    if (majority == 0) return line;
    return line + (up >= majority ? " (the majority of " + majority + " holds: batches are taken)"
        : " (below the majority of " + majority + ": no batch is taken until one comes back)");
  }

  static String address(Member m) {
    return m.getAddress().getHost() + ":" + m.getAddress().getPort();
  }

  /** Called for every lost partition of every map: acts once per burst. */
  private void partitionsLost() {
    long now = System.currentTimeMillis();
    long before = lastLossMillis.getAndSet(now);
    lossGeneration.incrementAndGet(); // the record of who is ready may be among what was lost: published again
    replayRequested.set(true);
    if (now - before < 5_000) return;
    List<LostMembers.Lost> gone = lost.partitionsLost(present(), now);
    LOG.warning("cluster: members left at once and part of the cache was lost with them; this member replays its journal,"
        + " and no member writes history until " + (gone.isEmpty() ? "the members that left" : String.join(", ", gone.stream().map(LostMembers.Lost::address).toList()))
        + " are back and have replayed theirs (at most " + TimeUnit.MILLISECONDS.toMinutes(waitMillis) + " min)");
  }

  private Map<String, String> present() {
    Map<String, String> out = new HashMap<>();
    for (Member m : hz.getCluster().getMembers()) out.put(address(m), m.getUuid().toString());
    return out;
  }

  /**
   * This member started first after the whole cluster stopped (it was running before and finds
   * nobody): the cache is empty, and the batches the other members acknowledged last are in their
   * journals only, so history waits for them as for members lost together.
   */
  public void awaitAfterFullRestart(List<String> others) {
    if (others.isEmpty()) return;
    long now = System.currentTimeMillis();
    for (String address : others) lost.await(new LostMembers.Lost(address, "", now));
    LOG.info("cluster: this member starts first of a cluster that was running: history writing waits for "
        + String.join(", ", others) + " to come back and replay their journals (at most "
        + TimeUnit.MILLISECONDS.toMinutes(waitMillis) + " min)");
  }

  /** True once after each loss of partitions: this member's journal must be replayed into the cache. */
  public boolean takeReplayRequest() {
    boolean taken = replayRequested.getAndSet(false);
    // read after: a loss counted by now is one the replay that follows comes after
    if (taken) replayTakenAt = lossGeneration.get();
    return taken;
  }

  public void requestReplayAgain() {
    replayRequested.set(true);
  }

  /**
   * The members whose journals history writing waits for (empty: write on). Blocking; called by
   * the writer before each round. Publishes this member as ready (its journal replayed) first.
   */
  public List<String> awaitedBlocking() {
    String self = hz.getCluster().getLocalMember().getUuid().toString();
    long generation = lossGeneration.get();
    if (readyPublishedAt != generation && replayTakenAt == generation) {
      ready.set(self, System.currentTimeMillis(), 1, TimeUnit.DAYS);
      readyPublishedAt = generation;
    }
    long now = System.currentTimeMillis();
    for (Map.Entry<String, String> e : lostInCluster.entrySet()) {
      String[] f = e.getValue().split(" ", 2);
      lost.await(new LostMembers.Lost(e.getKey(), f[1], Long.parseLong(f[0])));
    }
    for (LostMembers.Lost l : lost.awaitedNow()) {
      lostInCluster.putIfAbsent(l.address(), l.sinceMillis() + " " + l.uuid(), 1, TimeUnit.DAYS);
    }
    LostMembers.Verdict v = lost.check(present(), ready.keySet(), now);
    for (LostMembers.Lost l : v.back()) {
      lostInCluster.remove(l.address());
      LOG.info("cluster: member " + l.address() + " is back and has replayed its journal");
    }
    for (LostMembers.Lost l : v.covered()) {
      lostInCluster.remove(l.address());
      LOG.info("cluster: history is written on without waiting for " + l.address()
          + ": the members back hold a copy of every batch it acknowledged");
    }
    for (LostMembers.Lost l : v.givenUp()) {
      lostInCluster.remove(l.address());
      LOG.warning("cluster: member " + l.address() + " did not come back within the wait; history is written on without"
          + " its journal: the calls whose only copies were in its journal are missing from history");
    }
    if (!v.awaited().equals(lastAwaited) && !v.awaited().isEmpty()) {
      LOG.info("history writing waits for the journals of " + String.join(", ", v.awaited()));
    }
    lastAwaited = v.awaited();
    return v.awaited();
  }
}
