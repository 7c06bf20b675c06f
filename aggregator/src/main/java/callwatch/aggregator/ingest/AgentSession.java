package callwatch.aggregator.ingest;

import callwatch.aggregator.cluster.LiveCache;
import callwatch.aggregator.live.LiveHub;
import callwatch.aggregator.store.BatchJournal;
import callwatch.aggregator.store.RrdLayout;
import callwatch.common.protocol.Batch;
import callwatch.common.protocol.Hello;
import callwatch.common.protocol.Protocol;
import callwatch.common.protocol.ProtocolCodec;
import callwatch.common.protocol.ProtocolException;
import callwatch.common.protocol.SlotDelta;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * One connected agent. Batches are applied one after the other, in the order received, on the
 * ingest worker pool; each is acknowledged only once the cluster holds it (with its backup).
 * Anything that breaks the protocol (a bad field, a wrong type, a time out of bounds, a seq that
 * jumps) gets an {@code error} frame with the reason, and the connection is closed.
 */
final class AgentSession {
  private static final Logger LOG = Logger.getLogger(AgentSession.class.getName());
  private final Vertx vertx;
  private final ServerWebSocket ws;
  private final String agentId;
  private final LiveCache cache;
  private final WorkerExecutor ingest;
  private final BatchJournal journal;
  private final JournalCopies copies;
  private final long connectedAt = System.currentTimeMillis();
  private Future<Void> chain = Future.succeededFuture();
  private Hello hello;
  private LiveCache.Welcome welcome;
  /** The cluster seq this agent's stored batches end at: where a refused one is stuck. Event loop. */
  private long storedUpTo;
  /** The highest seq (the agent's numbering) this agent can have cut: what it said it spooled, then each batch sent. */
  private long newestPossible;
  private boolean closed;

  private final IngestLoad load;
  /** The event loop this connection's handlers run on. */
  private final io.vertx.core.Context context;
  private final DetectionPace pace;
  /** Set while a timer will look again whether detection has caught up with the waiting batches. */
  private boolean paceTimer;
  /** How far this agent's stored batches have read (event ms): from the welcome, then each batch stored. Event loop. */
  private long storedClockMillis = Long.MIN_VALUE;
  /** When the batch at the head of the waiting ones was first held for detection, and when the agent was last told (ms; 0: not held). */
  private long heldSinceMillis, waitToldMillis;

  private final java.util.Map<String, Long> heard;

  AgentSession(Vertx vertx, ServerWebSocket ws, String agentId, LiveCache cache, WorkerExecutor ingest, BatchJournal journal,
               JournalCopies copies, IngestLoad load, DetectionPace pace, java.util.Map<String, Long> heard) {
    this.pace = pace;
    this.copies = copies;
    this.load = load;
    this.heard = heard;
    this.vertx = vertx;
    this.ws = ws;
    this.context = vertx.getOrCreateContext();
    this.agentId = agentId;
    this.cache = cache;
    this.ingest = ingest;
    this.journal = journal;
    ws.textMessageHandler(this::onFrame);
    ws.binaryMessageHandler(b -> refuse("binary frames are not part of the protocol"));
    ws.closeHandler(v -> {
      closed = true;
      load.forget(resumer);
      if (heldBackTimer >= 0) vertx.cancelTimer(heldBackTimer);
      // what was waiting is not acknowledged: the agent sends it again
      for (Pending p : waiting) done(p.text().length());
      waiting.clear();
    });
  }

  private void onFrame(String text) {
    if (closed) return;
    heard.put(agentId, System.currentTimeMillis());
    if (hello != null) {
      batch(text);
      return;
    }
    try {
      JsonObject m = ProtocolCodec.parseFrame(text);
      switch (m.getString("type")) {
        case Protocol.HELLO -> hello(m);
        case Protocol.BATCH -> throw new ProtocolException("batch before hello");
        default -> refuse("unexpected message type '" + m.getString("type") + "'");
      }
    } catch (ProtocolException e) {
      refuse(e.getMessage());
    } catch (RuntimeException e) {
      // whatever a peer sends, it gets an answer and the node goes on
      refuse("malformed message: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Parses and checks a batch frame. Runs on the ingest pool: a backlog's batches are large, and
   * their decoding must not hold up the event loop (health, queries, live pushes, other agents).
   */
  private static Batch decodeBatchFrame(String text, long now) {
    try {
      Batch b = ProtocolCodec.decodeBatchFrame(text, now);
      if (b.stepSeconds() != RrdLayout.STEP) {
        throw new ProtocolException("step " + b.stepSeconds() + " s is not this aggregator's step (" + RrdLayout.STEP + " s)");
      }
      return b;
    } catch (ProtocolException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ProtocolException("malformed message: " + e.getClass().getSimpleName());
    }
  }

  private void hello(JsonObject m) {
    if (hello != null) throw new ProtocolException("a second hello on one connection");
    Hello h = ProtocolCodec.decodeHello(m);
    String claimed = h.agent().isEmpty() ? agentId : h.agent();
    if (!agentId.equals(claimed)) {
      throw new ProtocolException("hello names agent '" + claimed + "' but the credential is for '" + agentId + "'");
    }
    hello = h;
    chain = chain.compose(v -> ingest.executeBlocking(() -> cache.helloBlocking(agentId, h, connectedAt), false)).map(w -> {
      welcome = w;
      storedClockMillis = w.clockMillis() > 0 ? w.clockMillis() : Long.MIN_VALUE;
      storedUpTo = w.seqBase() + w.lastSeq();
      newestPossible = Math.max(h.spooled(), w.lastSeq());
      if (w.newEpoch()) {
        LOG.warning("agent " + agentId + " starts a new epoch '" + h.epoch() + "' (its state was created anew: a reinstalled"
            + " or wiped server); its seqs restart at 1; calls it sends for slots before " + w.epochFloor()
            + " were counted under its previous epoch and are not added again (rereadCalls on the agents page)");
      }
      if (!closed) ws.writeTextMessage(ProtocolCodec.welcome(agentId, w.lastSeq()).encode());
      return (Void) null;
    }).recover(this::failed);
  }

  /** This agent's bytes received and not yet stored (or dropped). Event loop. */
  private long ownPending;

  private void done(long bytes) {
    ownPending -= bytes;
    load.done(bytes);
    // everything of this agent is stored: it gets its next batch in even while the member is full
    // (IngestLoad.holdBack), so it is not held any longer
    if (heldBack && ownPending == 0) {
      load.forget(resumer);
      resumeReading();
    }
  }

  /** Set while this connection is not read: the member holds its ingest limit (see {@link IngestLoad}). */
  private boolean heldBack;
  private long heldBackTimer = -1;
  /** What the member runs to resume this agent; one per agent, so it is held back at most once. */
  private final Runnable resumer = this::resumeFromAnyThread;

  /**
   * Stops reading this agent's frames until the member has stored enough (TCP makes the agent wait).
   * Meanwhile the agent counts as heard: it is the member that does not listen, not a silent agent.
   */
  private void holdBack() {
    heldBack = true;
    ws.pause();
    heldBackTimer = vertx.setPeriodic(1000, id -> heard.put(agentId, System.currentTimeMillis()));
  }

  private void resumeFromAnyThread() {
    context.runOnContext(v -> resumeReading());
  }

  private void resumeReading() {
    if (!heldBack) return;
    heldBack = false;
    if (heldBackTimer >= 0) vertx.cancelTimer(heldBackTimer);
    heldBackTimer = -1;
    if (!closed) ws.resume();
  }

  /** A batch decoded and checked, waiting to be stored. */
  /** {@code oldestSlot}: Long.MIN_VALUE for a batch without calls (it never waits for detection). */
  private record Pending(Batch batch, String text, long clusterSeq, long newestSlot, long oldestSlot) {}

  /** At most this many of an agent's waiting batches are stored together (one call per cache entry). */
  static final int MAX_STORED_TOGETHER = 64;
  static final long PACE_RETRY_MS = 200;
  /**
   * How often an agent whose batch is held for detection hears so: well inside the 30 s it waits for
   * an ack before it takes the member for gone and reconnects (sending its window again for nothing).
   */
  static final long WAIT_NOTICE_MS = 5_000;
  private final java.util.ArrayDeque<Pending> waiting = new java.util.ArrayDeque<>();
  private boolean storing;

  private void batch(String text) {
    long now = System.currentTimeMillis() / 1000;
    load.received(text.length());
    if (!heldBack && load.holdBack(resumer, ownPending)) holdBack();
    ownPending += text.length();
    chain = chain.compose(v -> closed ? Future.<Batch>failedFuture("connection closed")
        : ingest.executeBlocking(() -> decodeBatchFrame(text, now), false)).compose(b -> {
      // after the welcome (the hello's work runs first on this chain): bound the seq
      if (closed) return Future.failedFuture("connection closed");
      if (b.seq() > newestPossible + 1) {
        refuse("seq " + b.seq() + " jumps ahead: this agent can have cut at most batch " + (newestPossible + 1)
            + " by now (its hello said it had spooled up to " + hello.spooled() + ")");
        return Future.failedFuture("refused");
      }
      newestPossible = Math.max(newestPossible, b.seq());
      long newestSlot = b.slots().stream().mapToLong(SlotDelta::slot).max().orElse(b.closedBefore());
      long oldestSlot = b.slots().stream().mapToLong(SlotDelta::slot).min().orElse(Long.MIN_VALUE);
      waiting.add(new Pending(b, text, welcome.seqBase() + b.seq(), Math.max(newestSlot, b.closedBefore()), oldestSlot));
      storeWaiting();
      return Future.<Void>succeededFuture();
    }).recover(err -> {
      done(text.length());
      if (err instanceof ProtocolException) {
        refuse(err.getMessage());
        return Future.failedFuture(err);
      }
      return failed(err);
    });
  }

  /**
   * Stores the waiting batches, as many as have arrived (a replaying agent keeps several in
   * flight), in one unit of work; each is acknowledged once it is stored. Event loop.
   */
  private void storeWaiting() {
    if (storing || waiting.isEmpty() || closed || paceTimer) return;
    long now = System.currentTimeMillis();
    if (pace.holds(storedClockMillis, waiting.peek().oldestSlot(), now)) {
      // a backlog running ahead of detection: look again in a moment (the agent waits for its acks,
      // sending nothing meanwhile: its waiting batches are what the member hears of it, never a silent agent)
      heard.put(agentId, now);
      if (heldSinceMillis == 0) heldSinceMillis = now;
      if (now - heldSinceMillis >= WAIT_NOTICE_MS && now - waitToldMillis >= WAIT_NOTICE_MS) {
        waitToldMillis = now;
        ws.writeTextMessage(ProtocolCodec.waitFor(waiting.peek().batch().seq(),
            "detection is judging older calls first (a backlog runs at its pace)").encode());
      }
      paceTimer = true;
      vertx.setTimer(PACE_RETRY_MS, id -> {
        paceTimer = false;
        storeWaiting();
      });
      return;
    }
    heldSinceMillis = 0;
    storing = true;
    List<Pending> together = new ArrayList<>();
    while (!waiting.isEmpty() && together.size() < MAX_STORED_TOGETHER) together.add(waiting.poll());
    List<Batch> batches = together.stream().map(Pending::batch).toList();
    long[] seqs = together.stream().mapToLong(Pending::clusterSeq).toArray();
    // a copy on another member's disk, also of a batch sent again (stored already, but perhaps not copied)
    Future<Void> copied = copies.copy(together.stream().map(p -> new JournalCopies.Copy(agentId, p.clusterSeq(), p.newestSlot(),
        hello.host(), hello.version(), p.text())).toList());
    Future<Void> journalled = ingest.executeBlocking(() -> {
      // synced once after the last: an acknowledged batch survives even a restart of every member
      for (int i = 0; i < together.size(); i++) {
        Pending p = together.get(i);
        journal.appendBlocking(agentId, p.clusterSeq(), p.newestSlot(), hello.host(), hello.version(), p.text(), i == together.size() - 1);
      }
      return null;
    }, false);
    // Into the cache only once on both disks: the agent's state there says "stored", and an agent
    // that reconnects drops what it says; were this member to die between the cache and the copy,
    // a batch would be in the cache alone, where a replica promoted without it loses it for good.
    Future<List<LiveCache.Applied>> stored = Future.all(copied, journalled).compose(v -> ingest.executeBlocking(
        () -> cache.applyAllBlocking(agentId, hello.epoch(), hello.host(), hello.version(), batches, seqs), false));
    stored.onComplete(ar -> {
      storing = false;
      for (Pending p : together) done(p.text().length());
      if (ar.failed()) {
        for (Pending p : waiting) done(p.text().length());
        waiting.clear();
        failed(ar.cause());
        return;
      }
      java.util.TreeSet<Long> touched = new java.util.TreeSet<>();
      for (Pending p : together) {
        storedUpTo = Math.max(storedUpTo, p.clusterSeq());
        storedClockMillis = Math.max(storedClockMillis, p.batch().seenUpToMillis());
      }
      for (int i = 0; i < together.size(); i++) {
        LiveCache.Applied applied = ar.result().get(i);
        if (!closed) ws.writeTextMessage(ProtocolCodec.ack(together.get(i).batch().seq(), applied.duplicate()).encode());
        touched.addAll(applied.touchedSlots());
      }
      if (!touched.isEmpty()) vertx.eventBus().publish(LiveHub.TOUCHED, new JsonObject().put("slots", new JsonArray(touched.stream().toList())));
      storeWaiting();
    });
  }

  /** One line per agent per minute: without the majority every batch of every agent fails alike. */
  private static final callwatch.common.log.LogLimiter STORE_FAILURES = new callwatch.common.log.LogLimiter(60_000);

  private Future<Void> failed(Throwable err) {
    if (err instanceof LiveCache.EpochChangedException) {
      refuse(err.getMessage());
    } else if (!closed) {
      // not acknowledged: the agent keeps the batch in its spool and sends it again after reconnecting
      long held = STORE_FAILURES.allow(agentId, System.currentTimeMillis());
      if (held >= 0) {
        LOG.warning("agent " + agentId + ": batch not stored, the agent keeps it and sends it again: "
            + (err instanceof com.hazelcast.splitbrainprotection.SplitBrainProtectionException
                ? "this member does not see the majority of the cluster" : String.valueOf(err))
            + callwatch.common.log.LogLimiter.heldBack(held));
      }
      ws.close((short) 1011, "cannot store the batch now");
    }
    closed = true;
    return Future.failedFuture(err);
  }

  private void refuse(String reason) {
    LOG.warning("agent " + agentId + " refused: " + reason);
    if (closed) return;
    // shown on the agents page: the agent comes back and says hello every few seconds, looking fine
    if (welcome != null) cache.noteRefusal(agentId, reason, storedUpTo);
    closed = true;
    ws.writeTextMessage(ProtocolCodec.error(reason).encode());
    ws.close((short) 1008, reason.length() > 120 ? reason.substring(0, 120) : reason);
  }
}
