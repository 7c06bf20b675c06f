package callwatch.aggregator.cluster;

import callwatch.common.protocol.Batch;
import callwatch.common.protocol.Hello;
import callwatch.common.protocol.PharmacyRow;
import callwatch.common.protocol.ProtocolCodec;
import callwatch.common.protocol.SeriesRow;
import callwatch.common.protocol.SlotDelta;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The recent window of every agent's slots and the agents' dedup state, in Hazelcast maps with one
 * synchronous backup. Blocking (Hazelcast calls): use from worker threads only.
 *
 * <p>Exactly once: a batch is applied under the agent's cluster-wide lock; {@code seq <= lastSeq}
 * means the agent's state holds it (the agent is told so). Each slot entry also remembers the
 * batches it took, so a batch sent again is applied again: if a member died halfway through it,
 * the resend completes the entries that missed it and the others skip it; and a journal replayed
 * after a restart adds nothing twice.
 */
public final class LiveCache {
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(LiveCache.class.getName());
  /** Far longer than applying a batch takes; only frees a lock whose unlock was lost. */
  private static final long LOCK_LEASE_SECONDS = 60;
  private final IMap<String, AgentSlot> slots;
  private final IMap<String, AgentState> agents;
  /** Why each agent's last batch was refused, and when (JSON), kept a day: see {@link #refusedBlocking}. */
  private final IMap<String, String> refusals;
  private final IMap<String, PharmacyMinute> pharmacies;
  private final com.hazelcast.partition.PartitionService partitions;

  /** What this member last saved of each agent: restores an agent state the cluster lost. */
  private volatile java.util.function.Function<String, AgentIdentity> knownAgents = a -> null;

  public LiveCache(HazelcastInstance hz) {
    this.slots = hz.getMap(ClusterSetup.SLOTS_MAP);
    this.agents = hz.getMap(ClusterSetup.AGENTS_MAP);
    this.refusals = hz.getMap(REFUSALS_MAP);
    this.pharmacies = hz.getMap(ClusterSetup.PHARMACY_MAP);
    this.partitions = hz.getPartitionService();
  }

  public void knownAgentsFrom(java.util.function.Function<String, AgentIdentity> known) {
    this.knownAgents = known;
  }

  /**
   * The agent's state in the cluster; when the cluster has none although this member knew the
   * agent (two members holding it died at once), its dedup mark and epoch come back from this
   * member's own record, so the agent's next batches are neither refused as old nor numbered anew.
   */
  private AgentState stateOf(String agentId) {
    AgentState state = agents.get(agentId);
    if (state != null) return state;
    AgentIdentity id = knownAgents.apply(agentId);
    return id == null ? new AgentState() : fromIdentity(id);
  }

  private static AgentState fromIdentity(AgentIdentity id) {
    AgentState state = new AgentState();
    state.lastSeq = id.lastSeq();
    if (id.epoch() != null) {
      state.epoch = id.epoch();
      state.seqBase = id.seqBase();
      state.epochFloor = id.epochFloor();
    }
    return state;
  }

  /** What applying a batch did. */
  public record Applied(boolean duplicate, Set<Long> touchedSlots, long lateCalls) {}

  /**
   * The answer to a hello: the agent's last stored batch in its own numbering, the base added to its
   * seqs, and how far its stored batches have read ({@code clockMillis}, event time, as detection takes it).
   */
  public record Welcome(long lastSeq, long seqBase, boolean newEpoch, long epochFloor, long clockMillis) {}

  /** The agent's connection now speaks for another state of it than the cluster's (two agents share an id?). */
  public static final class EpochChangedException extends RuntimeException {
    EpochChangedException(String message) {
      super(message);
    }
  }

  /**
   * An agent said hello: it is known (with its host and version) from now on, before its first
   * batch. A new epoch (its state folder was created anew) starts a new seq numbering on top of
   * everything stored so far, so its batch 1 is not mistaken for one the cluster already holds.
   */
  public Welcome helloBlocking(String agentId, Hello hello, long connectedSince) {
    lockAgent(agentId);
    try {
      AgentState state = stateOf(agentId);
      boolean newEpoch = false;
      if (!hello.epoch().equals(state.epoch)) {
        if (state.lastSeq > 0) {
          if (state.lastSeq > state.seqBase || state.epochs == 0) state.epochs++; // not again for an epoch that stored nothing
          state.seqBase = state.lastSeq;
          state.epochFloor = state.closedBefore;
          newEpoch = true;
        }
        state.epoch = hello.epoch();
        state.epochSinceMillis = System.currentTimeMillis();
      }
      if (!hello.host().isEmpty()) state.host = hello.host();
      if (!hello.version().isEmpty()) state.version = hello.version();
      state.connectedSinceMillis = connectedSince;
      state.lastContactMillis = System.currentTimeMillis();
      agents.set(agentId, state);
      return new Welcome(state.lastSeq - state.seqBase, state.seqBase, newEpoch, state.epochFloor,
          state.seenUpToMillis > 0 ? state.seenUpToMillis : state.closedBefore * 1000);
    } finally {
      unlockAgent(agentId);
    }
  }

  /**
   * Applies a batch from a node's journal after a restart. It skips the agent-level duplicate
   * check, because journals of several nodes may come back in any order; the entries' own sets of
   * applied batches keep it exactly once.
   */
  public Applied replayBlocking(String agentId, String host, String version, Batch batch, long clusterSeq) {
    return apply(agentId, null, host, version, batch, clusterSeq, true);
  }

  /**
   * Locks one agent's state against other members. The lock has a lease: when the cluster loses
   * its majority between lock and unlock, the unlock fails too, and without a lease the agent's
   * lock would stay held for good and every later batch of that agent would wait on it forever.
   */
  private void lockAgent(String agentId) {
    agents.lock(agentId, LOCK_LEASE_SECONDS, TimeUnit.SECONDS);
    lockedAt.put(agentId, System.currentTimeMillis());
  }

  /** Agent locks this member holds and could not release (no majority at that moment), by when taken. */
  private final Map<String, Long> lockedAt = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Long> unreleased = new java.util.concurrent.ConcurrentHashMap<>();

  private void unlockAgent(String agentId) {
    Long since = lockedAt.remove(agentId);
    try {
      agents.unlock(agentId);
    } catch (RuntimeException e) {
      // without the majority the unlock fails too: the lock would keep the agent out until its
      // lease ends, so it is released as soon as the majority is back
      if (since != null && unreleased.put(agentId, since) == null) {
        LOG.warning("agent " + agentId + "'s lock could not be released (" + e.getClass().getSimpleName()
            + "): it is released as soon as this member sees the majority again");
      }
    }
  }

  /**
   * Releases the agent locks an unlock could not release. Only within their lease: past it, the
   * lock may already belong to another member, which a forced unlock would break.
   */
  public void releaseStuckLocksBlocking() {
    long now = System.currentTimeMillis();
    unreleased.forEach((agentId, since) -> {
      if (now - since < LOCK_LEASE_SECONDS * 1000 - 5000) {
        try {
          agents.forceUnlock(agentId);
        } catch (RuntimeException e) {
          return; // still no majority: next time
        }
      }
      unreleased.remove(agentId);
    });
  }

  /**
   * Applies several batches of one agent, in order, as one unit of work: each cache entry they touch
   * gets one call carrying every batch's rows under its own seq (a backlog of small batches costs a
   * few calls per entry, not one per batch), and the agent's state is written once. Batches the
   * agent's state already holds are duplicates: they go to the entries again, which skip them where
   * they hold them, and leave the state as it is.
   */
  public List<Applied> applyAllBlocking(String agentId, String epoch, String host, String version, List<Batch> batches,
                                        long[] clusterSeqs) {
    return apply(agentId, epoch, host, version, batches, clusterSeqs, false);
  }

  /** The rows of several batches for one cache entry, each batch under its seq. */
  private static final class EntryParts<P> {
    final List<Long> seqs = new ArrayList<>();
    final List<P> parts = new ArrayList<>();

    void add(long seq, P rows) {
      seqs.add(seq);
      parts.add(rows);
    }

    long[] seqArray() {
      return seqs.stream().mapToLong(Long::longValue).toArray();
    }
  }

  private Applied apply(String agentId, String epoch, String host, String version, Batch batch, long clusterSeq, boolean replay) {
    return apply(agentId, epoch, host, version, List.of(batch), new long[] {clusterSeq}, replay).get(0);
  }

  private List<Applied> apply(String agentId, String epoch, String host, String version, List<Batch> batches, long[] clusterSeqs,
                              boolean replay) {
    lockAgent(agentId);
    try {
      AgentState state = stateOf(agentId);
      if (!replay && !epoch.equals(state.epoch)) {
        throw new EpochChangedException("agent '" + agentId + "' has connected meanwhile with another state (epoch '"
            + state.epoch + "', this connection's is '" + epoch + "'): do two agents share this id?");
      }
      Map<String, EntryParts<Map<String, long[]>>> slotParts = new HashMap<>();
      Map<String, EntryParts<PharmacyRows>> minuteParts = new HashMap<>();
      List<Applied> out = new ArrayList<>(batches.size());
      for (int k = 0; k < batches.size(); k++) {
        Batch batch = batches.get(k);
        long clusterSeq = clusterSeqs[k];
        // A batch sent again that the agent's state holds is applied again all the same, as a journal
        // replay is: the state and the slot entries live in different partitions, and a member dying
        // between them (or a replica promoted without the last update) leaves an entry without it.
        // Entries that hold it ignore it (their sets of applied batches); the state does not move.
        boolean duplicate = !replay && clusterSeq <= state.lastSeq;
        boolean ownSlots = replay || duplicate;
        // a new epoch's calls for slots its previous epoch had already closed were counted then
        boolean belowFloor = clusterSeq > state.seqBase;
        SlotGroups groups = groupBySlot(batch, state, ownSlots, belowFloor);
        TreeMap<Long, Map<String, long[]>> bySlot = groups.bySlot;
        for (Map.Entry<Long, Map<String, long[]>> e : bySlot.entrySet()) {
          slotParts.computeIfAbsent(AgentSlot.key(agentId, e.getKey()), x -> new EntryParts<>()).add(clusterSeq, e.getValue());
        }
        for (Map.Entry<Long, PharmacyRows> e : groupByMinute(batch, belowFloor ? state.epochFloor : Long.MIN_VALUE).entrySet()) {
          minuteParts.computeIfAbsent(PharmacyMinute.key(agentId, e.getKey()), x -> new EntryParts<>()).add(clusterSeq, e.getValue());
        }
        if (duplicate) {
          out.add(new Applied(true, new HashSet<>(bySlot.keySet()), 0));
          continue;
        }
        // the state moves batch by batch: the next batch's late calls are judged against it
        // a journal replayed after a restart carries old figures: they never replace newer ones
        boolean newest = clusterSeq > state.lastSeq;
        state.lastSeq = Math.max(state.lastSeq, clusterSeq);
        if (!replay) state.rereadCalls += groups.reread;
        state.closedBefore = Math.max(state.closedBefore, batch.closedBefore());
        state.seenUpToMillis = Math.max(state.seenUpToMillis, batch.seenUpToMillis());
        if (!bySlot.isEmpty()) state.firstSlot = Math.min(state.firstSlot, bySlot.firstKey());
        state.lateCalls += groups.late;
        if (newest) state.statsJson = ProtocolCodec.encodeStats(batch.stats()).encode();
        out.add(new Applied(false, new HashSet<>(bySlot.keySet()), groups.late));
      }
      List<CompletableFuture<Boolean>> pending = new ArrayList<>();
      slotParts.forEach((key, parts) -> pending.add(
          slots.submitToKey(key, new ApplySlot(parts.seqArray(), parts.parts)).toCompletableFuture()));
      minuteParts.forEach((key, parts) -> pending.add(
          pharmacies.submitToKey(key, new ApplyPharmacies(parts.seqArray(), parts.parts)).toCompletableFuture()));
      CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).join();
      state.host = host;
      state.version = version;
      if (!replay) state.lastContactMillis = System.currentTimeMillis();
      agents.set(agentId, state);
      return out;
    } finally {
      unlockAgent(agentId);
    }
  }

  /** A batch's series rows by the slot they go to, with the calls moved to a later slot and those dropped as read before. */
  private static final class SlotGroups {
    final TreeMap<Long, Map<String, long[]>> bySlot = new TreeMap<>();
    long late;
    long reread;
  }

  // The grouping loops are methods of their own, not inlined into apply's loop over batches: apply
  // with them took C2 1.6 s per compilation, four times in a backlog's first seconds; split, they
  // compile in a tenth of that (docs/performance.md, "Where the JIT's time goes").

  /** Groups a batch's series rows by slot; a slot the agent (or this cluster) already closed goes to the first open slot. */
  private static SlotGroups groupBySlot(Batch batch, AgentState state, boolean ownSlots, boolean belowFloor) {
    SlotGroups g = new SlotGroups();
    for (SlotDelta d : batch.slots()) {
      // a replayed batch goes back to its own slots, where the entries' sets of applied batches
      // recognise it; shifting it like a late one would put it in a fresh entry and count it twice
      if (belowFloor && d.slot() < state.epochFloor) {
        for (SeriesRow r : d.rows()) g.reread += r.counters()[callwatch.common.model.Metrics.CALLS];
        continue;
      }
      long slot = ownSlots ? d.slot() : Math.max(d.slot(), state.closedBefore);
      Map<String, long[]> rows = g.bySlot.computeIfAbsent(slot, x -> new HashMap<>());
      for (SeriesRow r : d.rows()) {
        if (slot != d.slot()) g.late += r.counters()[callwatch.common.model.Metrics.CALLS];
        callwatch.common.model.Metrics.add(rows.computeIfAbsent(
            AgentSlot.rowKey(r.service(), r.op(), r.vendor(), r.host()), x -> new long[callwatch.common.model.Metrics.SIZE]),
            r.counters());
      }
    }
    return g;
  }

  /**
   * Groups a batch's pharmacy rows by minute, leaving out minutes that end at or before
   * {@code floor}: the decoder gave one row per (minute, pharmacy, pair), appended as they come, no key per row.
   */
  private static Map<Long, PharmacyRows> groupByMinute(Batch batch, long floor) {
    // counted first, so that each minute's columns are made at their size: grown by doubling,
    // they were a twentieth of the member's allocation while it stored a backlog
    Map<Long, int[]> rowsPerMinute = new HashMap<>();
    int[] counted = null;
    long countedMinute = Long.MIN_VALUE;
    for (PharmacyRow p : batch.pharmacies()) {
      if (p.minute() + 60 <= floor) continue;
      if (p.minute() != countedMinute) {
        countedMinute = p.minute();
        counted = rowsPerMinute.computeIfAbsent(countedMinute, m -> new int[1]);
      }
      counted[0]++;
    }
    Map<Long, PharmacyRows> minuteRows = new HashMap<>();
    PharmacyRows current = null;
    long currentMinute = Long.MIN_VALUE;
    for (PharmacyRow p : batch.pharmacies()) {
      if (p.minute() + 60 <= floor) continue;
      if (p.minute() != currentMinute) {
        currentMinute = p.minute();
        current = minuteRows.computeIfAbsent(currentMinute, m -> new PharmacyRows(rowsPerMinute.get(m)[0]));
      }
      current.append(p.pharmacy(), p.service(), p.vendor(), p.calls(), p.errors(), p.e401());
    }
    return minuteRows;
  }

  /**
   * After a restart, or after the cluster lost partitions: the agent's dedup mark is at least the
   * one this member saved, and a state the cluster lost is given back its epoch.
   */
  public void restoreBlocking(String agentId, AgentIdentity id) {
    lockAgent(agentId);
    try {
      AgentState state = agents.get(agentId);
      if (state == null) {
        agents.set(agentId, fromIdentity(id));
      } else if (id.lastSeq() > state.lastSeq) {
        state.lastSeq = id.lastSeq();
        agents.set(agentId, state);
      }
    } finally {
      unlockAgent(agentId);
    }
  }

  static final String REFUSALS_MAP = "callwatch.refusals";

  /**
   * Notes that a batch of {@code agentId} was refused, its stored batches ending at {@code lastSeq}
   * (a protocol error: the agent sends the same batch again after reconnecting, so it stays refused
   * until its cause is fixed; see {@link Refusal}). Not waited for.
   */
  public void noteRefusal(String agentId, String reason, long lastSeq) {
    refusals.getAsync(agentId).thenAccept(before -> {
      Refusal r = Refusal.next(before == null ? null : refusal(before), reason, System.currentTimeMillis(), lastSeq);
      refusals.setAsync(agentId, new io.vertx.core.json.JsonObject().put("reason", r.reason()).put("atMillis", r.atMillis())
          .put("sinceMillis", r.sinceMillis()).put("lastSeq", r.lastSeq()).encode(), 1, java.util.concurrent.TimeUnit.DAYS);
    });
  }

  private static Refusal refusal(String json) {
    io.vertx.core.json.JsonObject o = new io.vertx.core.json.JsonObject(json);
    return new Refusal(o.getString("reason", ""), o.getLong("atMillis", 0L), o.getLong("sinceMillis", o.getLong("atMillis", 0L)),
        o.getLong("lastSeq", Long.MAX_VALUE));
  }

  /** The refusals that still hold, by agent: nothing of it was stored beyond the batch refused. */
  public Map<String, Refusal> refusedBlocking(Map<String, AgentState> states) {
    Map<String, Refusal> out = new HashMap<>();
    refusals.forEach((agent, json) -> {
      Refusal r = refusal(json);
      AgentState s = states.get(agent);
      if (s != null && r.holds(s.lastSeq)) out.put(agent, r);
    });
    return out;
  }

  public Map<String, AgentState> agentsBlocking() {
    return new HashMap<>(agents);
  }

  public Map<String, AgentSlot> slotsBlocking(Set<String> keys) {
    return ManyKeys.getAll(slots, partitions, keys);
  }

  public Map<String, PharmacyMinute> pharmacyMinutesBlocking(Set<String> keys) {
    return ManyKeys.getAll(pharmacies, partitions, keys);
  }
}
