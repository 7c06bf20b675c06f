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
  private final long connectedAt = System.currentTimeMillis();
  private Future<Void> chain = Future.succeededFuture();
  private Hello hello;
  private LiveCache.Welcome welcome;
  /** The highest seq (the agent's numbering) this agent can have cut: what it said it spooled, then each batch sent. */
  private long newestPossible;
  private boolean closed;

  private final IngestLoad load;

  AgentSession(Vertx vertx, ServerWebSocket ws, String agentId, LiveCache cache, WorkerExecutor ingest, BatchJournal journal,
               IngestLoad load) {
    this.load = load;
    this.vertx = vertx;
    this.ws = ws;
    this.agentId = agentId;
    this.cache = cache;
    this.ingest = ingest;
    this.journal = journal;
    ws.textMessageHandler(this::onFrame);
    ws.binaryMessageHandler(b -> refuse("binary frames are not part of the protocol"));
    ws.closeHandler(v -> closed = true);
  }

  private void onFrame(String text) {
    if (closed) return;
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
      JsonObject m = ProtocolCodec.parseFrame(text);
      String type = m.getString("type");
      if (Protocol.HELLO.equals(type)) throw new ProtocolException("a second hello on one connection");
      if (!Protocol.BATCH.equals(type)) throw new ProtocolException("unexpected message type '" + type + "'");
      Batch b = ProtocolCodec.decodeBatch(m, now);
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

  private void batch(String text) {
    long now = System.currentTimeMillis() / 1000;
    load.received();
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
      long clusterSeq = welcome.seqBase() + b.seq();
      long newestSlot = b.slots().stream().mapToLong(SlotDelta::slot).max().orElse(b.closedBefore());
      return ingest.executeBlocking(() -> {
        // journalled (and synced) first: an acknowledged batch survives even a restart of every member
        journal.appendBlocking(agentId, clusterSeq, Math.max(newestSlot, b.closedBefore()), hello.host(), hello.version(), text);
        return cache.applyBlocking(agentId, hello.epoch(), hello.host(), hello.version(), b, clusterSeq);
      }, false).map(applied -> {
        if (!closed) ws.writeTextMessage(ProtocolCodec.ack(b.seq(), applied.duplicate()).encode());
        if (!applied.touchedSlots().isEmpty()) {
          vertx.eventBus().publish(LiveHub.TOUCHED, new JsonObject().put("slots", new JsonArray(applied.touchedSlots().stream().toList())));
        }
        return (Void) null;
      });
    }).recover(err -> {
      if (err instanceof ProtocolException) {
        refuse(err.getMessage());
        return Future.failedFuture(err);
      }
      return failed(err);
    });
    chain.onComplete(ar -> load.done());
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
    closed = true;
    ws.writeTextMessage(ProtocolCodec.error(reason).encode());
    ws.close((short) 1008, reason.length() > 120 ? reason.substring(0, 120) : reason);
  }
}
