package callwatch.aggregator.store;

import callwatch.aggregator.cluster.AgentIdentity;
import callwatch.aggregator.cluster.AgentSlot;
import callwatch.aggregator.cluster.AgentState;
import callwatch.aggregator.cluster.LiveCache;
import callwatch.common.model.Metrics;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes closed slots from the replicated cache into this node's round-robin files. Every node runs
 * one, so every node holds the whole history (see docs/architecture.md). Blocking; runs on the
 * node's single RRD writer thread.
 *
 * <p>Per agent it keeps how far it has written ({@link #writtenUpTo}); queries read the files below
 * that mark and the cache above it, so a point is never missing and never counted twice.
 */
public final class SlotWriter {
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(SlotWriter.class.getName());
  /** Slots written per agent per round, so one agent's long backlog does not starve the others. */
  static final int MAX_SLOTS_PER_ROUND = 720;
  private final LiveCache cache;
  private final RrdRepository repo;
  private final Path stateFile;
  private final FileRepair repair;
  private final Map<String, Long> writtenUpTo = new ConcurrentHashMap<>();
  /**
   * Each agent's last stored batch and epoch as last seen, kept so that dedup survives a restart
   * after the journal was trimmed, and the cluster's loss of the agent's state (two members dead at once).
   */
  private final Map<String, AgentIdentity> known = new ConcurrentHashMap<>();
  /** Sources whose file refused a write: counted and shown, never holding back the others. */
  private final Map<Source, Unwritable> unwritable = new ConcurrentHashMap<>();
  /** How often an unwritable file is tried again (a full disk may have room again). */
  static final long RETRY_MILLIS = 10_000;

  /**
   * A source whose file could not be written: the last error, the slots it could not take, since
   * when; the first of those slots (event time), written from the cache once the file can be.
   */
  public record Unwritable(String error, long slotsLost, long sinceMillis, long lastLoggedMillis, long firstSlot, long lastTriedMillis) {}

  public SlotWriter(LiveCache cache, RrdRepository repo, Path stateFile, FileRepair repair) throws IOException {
    this.cache = cache;
    this.repair = repair;
    this.repo = repo;
    this.stateFile = stateFile;
    try {
      JsonObject saved = new JsonObject(Files.readString(stateFile));
      saved.getJsonObject("writtenUpTo").forEach(e -> writtenUpTo.put(e.getKey(), ((Number) e.getValue()).longValue()));
      JsonObject ids = saved.getJsonObject("identities", new JsonObject());
      saved.getJsonObject("lastSeq").forEach(e -> known.put(e.getKey(),
          AgentIdentity.fromJson(((Number) e.getValue()).longValue(), ids.getJsonObject(e.getKey()))));
    } catch (NoSuchFileException e) {
      // first start of this node: nothing written yet
    }
  }

  /** Slots of {@code agent} before this are in the files (Long.MIN_VALUE: nothing yet). */
  /** Every agent's mark: slots before it are in this member's files. */
  public Map<String, Long> writtenMarks() {
    return Map.copyOf(writtenUpTo);
  }

  public long writtenUpTo(String agent) {
    return writtenUpTo.getOrDefault(agent, Long.MIN_VALUE);
  }

  /** Per agent, the cluster's closed mark as last seen: how far the files could be. */
  private final Map<String, Long> closedMarks = new ConcurrentHashMap<>();

  /**
   * How far this member's files are behind what agents have closed, in seconds (the largest over
   * agents), as of the last round or look.
   */
  public long lagSeconds() {
    long lag = 0;
    for (Map.Entry<String, Long> e : closedMarks.entrySet()) {
      long from = writtenUpTo.getOrDefault(e.getKey(), Long.MIN_VALUE);
      if (from != Long.MIN_VALUE) lag = Math.max(lag, e.getValue() - from);
    }
    return lag;
  }

  /** Reads the agents' closed marks without writing (while writing waits), so the lag stays true. */
  public void lookBlocking() {
    cache.agentsBlocking().forEach((agent, st) -> closedMarks.put(agent, st.closedBefore));
  }

  /** One round over all agents; returns the number of slots written. */
  public int writeRoundBlocking() throws IOException {
    retryUnwritableBlocking();
    int written = 0;
    boolean moved = false;
    for (Map.Entry<String, AgentState> e : cache.agentsBlocking().entrySet()) {
      String agent = e.getKey();
      AgentState st = e.getValue();
      closedMarks.put(agent, st.closedBefore);
      AgentIdentity before = known.get(agent);
      if (before == null || st.lastSeq > before.lastSeq() || !st.epoch.equals(before.epoch())) {
        known.put(agent, new AgentIdentity(st.lastSeq, st.epoch, st.seqBase, st.epochFloor));
        moved = true;
      }
      long from = writtenUpTo.containsKey(agent) ? writtenUpTo.get(agent) : st.firstSlot;
      if (from == Long.MAX_VALUE || st.closedBefore <= from) continue;
      long to = Math.min(st.closedBefore, from + (long) MAX_SLOTS_PER_ROUND * RrdLayout.STEP);
      writeAgentBlocking(agent, from, to);
      written += (int) ((to - from) / RrdLayout.STEP);
      writtenUpTo.put(agent, to);
      moved = true;
    }
    if (moved) saveBlocking();
    return written;
  }

  private void writeAgentBlocking(String agent, long from, long to) throws IOException {
    Set<String> keys = new LinkedHashSet<>();
    for (long t = from; t < to; t += RrdLayout.STEP) keys.add(AgentSlot.key(agent, t));
    Map<String, AgentSlot> slots = cache.slotsBlocking(keys);
    for (long t = from; t < to; t += RrdLayout.STEP) {
      AgentSlot slot = slots.get(AgentSlot.key(agent, t));
      if (slot == null) continue;
      for (Map.Entry<Source, long[]> s : bySource(agent, slot).entrySet()) {
        // an unwritable source takes no later slot before the ones it missed (see retryUnwritableBlocking)
        if (unwritable.containsKey(s.getKey())) {
          failed(s.getKey(), null, t);
          continue;
        }
        try {
          long slotStart = t;
          withRepair(s.getKey(), () -> repo.writeBlocking(s.getKey(), slotStart, s.getValue()));
        } catch (IOException | RuntimeException err) {
          failed(s.getKey(), err, t);
        }
      }
    }
    for (Source s : repo.sources(agent)) {
      if (unwritable.containsKey(s)) continue;
      try {
        withRepair(s, () -> repo.advanceBlocking(s, to));
      } catch (IOException | RuntimeException err) {
        failed(s, err, to - RrdLayout.STEP);
      }
    }
  }

  /**
   * Tries each unwritable source again, every {@link #RETRY_MILLIS}: the slots it missed since its
   * first failure are written from the cache up to its agent's mark, so that a disk that was full
   * for less than the cache window loses no history. What the cache no longer holds stays lost.
   */
  private void retryUnwritableBlocking() {
    long now = System.currentTimeMillis();
    for (Map.Entry<Source, Unwritable> e : unwritable.entrySet()) {
      Source s = e.getKey();
      Unwritable u = e.getValue();
      if (now - u.lastTriedMillis() < RETRY_MILLIS) continue;
      long upTo = writtenUpTo(s.agent());
      try {
        long[] slots = {0};
        // a file that cannot be made yet (the disk's reserve) is not worth reading the cache for
        if (!repo.hasFile(s)) repo.checkRoomForNewFile();
        if (upTo != Long.MIN_VALUE) withRepair(s, () -> slots[0] = repair.fromCacheBlocking(s, u.firstSlot(), upTo));
        unwritable.remove(s);
        LOG.info(s + " can be written again: " + slots[0] + " slots it missed written from the cache");
      } catch (IOException | RuntimeException err) {
        long held = now - u.lastLoggedMillis() >= 60_000 ? FAILURE_LINES.allow(s.agent(), now) : -1;
        boolean log = held >= 0;
        unwritable.put(s, new Unwritable(String.valueOf(err.getMessage() == null ? err : err.getMessage()), u.slotsLost(),
            u.sinceMillis(), log ? now : u.lastLoggedMillis(), u.firstSlot(), now));
        if (log) {
          LOG.warning("cannot write " + s + " to its round-robin file yet (" + err.getMessage() + "); tried again every 10 s"
              + callwatch.common.log.LogLimiter.heldBack(held));
        }
      }
    }
  }

  private interface FileAction {
    void run() throws IOException;
  }

  /** Runs a write; a broken file is rebuilt once (from a peer and the cache) and the write done again. */
  private void withRepair(Source s, FileAction action) throws IOException {
    try {
      action.run();
    } catch (BrokenFileException broken) {
      String done = repair.rebuildBlocking(s, writtenUpTo(s.agent()));
      LOG.warning(broken.getMessage() + "; set aside as .broken and " + done);
      action.run();
    }
  }

  private static final callwatch.common.log.LogLimiter FAILURE_LINES = new callwatch.common.log.LogLimiter(60_000);

  /** Counts a slot that {@code s} could not take (event time {@code slot}); logs at most once a minute per source. */
  private void failed(Source s, Throwable err, long slot) {
    long now = System.currentTimeMillis();
    Unwritable before = unwritable.get(s);
    String error = err == null ? before.error() : String.valueOf(err.getMessage() == null ? err : err.getMessage());
    boolean due = before == null || now - before.lastLoggedMillis() >= 60_000;
    // and one line a minute per agent: a server whose op names went wild has hundreds of sources refused at once
    long held = due ? FAILURE_LINES.allow(s.agent(), now) : -1;
    boolean log = held >= 0;
    unwritable.put(s, new Unwritable(error, (before == null ? 0 : before.slotsLost()) + 1,
        before == null ? now : before.sinceMillis(), log ? now : before == null ? 0 : before.lastLoggedMillis(),
        before == null ? slot : before.firstSlot(), before == null ? now : before.lastTriedMillis()));
    if (log) {
      LOG.warning("cannot write " + s + " to its round-robin file (" + error + "); its slots wait in the cache and are"
          + " written once it can be, tried every 10 s (unwritableSources on /api/health and /api/agents); every other source goes on"
          + callwatch.common.log.LogLimiter.heldBack(held));
    }
  }

  /** How many sources could not be written lately. */
  public int unwritableSources() {
    return unwritable.size();
  }

  public io.vertx.core.json.JsonArray unwritableSourcesJson() {
    io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
    unwritable.forEach((s, u) -> out.add(new JsonObject().put("agent", s.agent()).put("host", s.host())
        .put("service", s.service()).put("op", s.op()).put("error", u.error()).put("slotsLost", u.slotsLost())
        .put("sinceMillis", u.sinceMillis())));
    return out;
  }

  /** Sums a slot's rows over vendors: the files are per (host, service, op); vendors live in the drill-down. */
  static Map<Source, long[]> bySource(String agent, AgentSlot slot) {
    Map<Source, long[]> out = new HashMap<>();
    slot.rows.forEach((k, v) -> {
      String[] f = AgentSlot.split(k);
      Metrics.add(out.computeIfAbsent(new Source(agent, f[3], f[0], f[1]), x -> new long[Metrics.SIZE]), v);
    });
    return out;
  }

  /** Each agent's last batch and epoch as this node knew them when it last saved. */
  public Map<String, AgentIdentity> knownAgents() {
    return Map.copyOf(known);
  }

  public AgentIdentity knownAgent(String agent) {
    return known.get(agent);
  }

  /** How far this node has written, per agent, and the last batches it knew of: what a peer catching up adopts. */
  public JsonObject stateJson() {
    JsonObject w = new JsonObject();
    writtenUpTo.forEach(w::put);
    JsonObject l = new JsonObject();
    JsonObject ids = new JsonObject();
    known.forEach((agent, id) -> {
      l.put(agent, id.lastSeq());
      ids.put(agent, id.toJson());
    });
    return new JsonObject().put("writtenUpTo", w).put("lastSeq", l).put("identities", ids);
  }

  private void saveBlocking() throws IOException {
    writeAtomically(stateFile, stateJson());
  }

  /**
   * Takes a peer's written marks along with its files (before this node's writer starts): the
   * peer's mark per agent replaces ours, since its files replaced ours; the last batch seen is the
   * later of both, so dedup never goes backwards.
   */
  public static void adoptStateBlocking(Path stateFile, JsonObject peer) throws IOException {
    JsonObject own;
    try {
      own = new JsonObject(Files.readString(stateFile));
    } catch (NoSuchFileException e) {
      own = new JsonObject().put("writtenUpTo", new JsonObject()).put("lastSeq", new JsonObject());
    }
    JsonObject written = own.getJsonObject("writtenUpTo").copy();
    peer.getJsonObject("writtenUpTo").forEach(e -> written.put(e.getKey(), e.getValue()));
    JsonObject seqs = own.getJsonObject("lastSeq").copy();
    JsonObject ids = own.getJsonObject("identities", new JsonObject()).copy();
    JsonObject peerIds = peer.getJsonObject("identities", new JsonObject());
    peer.getJsonObject("lastSeq").forEach(e -> {
      long theirs = ((Number) e.getValue()).longValue();
      if (theirs >= seqs.getLong(e.getKey(), 0L)) {
        seqs.put(e.getKey(), theirs);
        if (peerIds.containsKey(e.getKey())) ids.put(e.getKey(), peerIds.getJsonObject(e.getKey()));
      }
    });
    writeAtomically(stateFile, new JsonObject().put("writtenUpTo", written).put("lastSeq", seqs).put("identities", ids));
  }

  private static void writeAtomically(Path file, JsonObject o) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, o.encode());
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
