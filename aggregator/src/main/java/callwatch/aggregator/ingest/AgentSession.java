package callwatch.aggregator.ingest;

import callwatch.aggregator.cluster.LiveCache;
import callwatch.aggregator.live.LiveHub;
import callwatch.aggregator.store.BatchJournal;
import callwatch.aggregator.store.RrdLayout;
import callwatch.common.protocol.Batch;
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
 * Hazelcast worker pool; each is acknowledged only once the cluster holds it (with its backup).
 * A frame that breaks the protocol gets an error with the reason, and the connection is closed.
 */
final class AgentSession {
  private static final Logger LOG = Logger.getLogger(AgentSession.class.getName());
  private static final long MAX_FUTURE_SECONDS = 24 * 3600;
  private final Vertx vertx;
  private final ServerWebSocket ws;
  private final String agentId;
  private final LiveCache cache;
  private final WorkerExecutor hz;
  private final BatchJournal journal;
  private final long connectedAt = System.currentTimeMillis();
  private Future<Void> chain = Future.succeededFuture();
  private String host = "";
  private String version = "";
  private boolean welcomed;
  private boolean closed;

  AgentSession(Vertx vertx, ServerWebSocket ws, String agentId, LiveCache cache, WorkerExecutor hz, BatchJournal journal) {
    this.vertx = vertx;
    this.ws = ws;
    this.agentId = agentId;
    this.cache = cache;
    this.hz = hz;
    this.journal = journal;
    ws.textMessageHandler(this::onFrame);
    ws.closeHandler(v -> closed = true);
  }

  private void onFrame(String text) {
    JsonObject m;
    try {
      m = ProtocolCodec.parseFrame(text);
    } catch (ProtocolException e) {
      refuse(e.getMessage());
      return;
    }
    switch (m.getString("type")) {
      case Protocol.HELLO -> hello(m);
      case Protocol.BATCH -> batch(m, text);
      default -> refuse("unexpected message type '" + m.getString("type") + "'");
    }
  }

  private void hello(JsonObject m) {
    String claimed = m.getString("agent", agentId);
    if (!agentId.equals(claimed)) {
      refuse("hello names agent '" + claimed + "' but the credential is for '" + agentId + "'");
      return;
    }
    host = m.getString("host", "");
    version = m.getString("version", "");
    chain = chain.compose(v -> hz.executeBlocking(() -> {
      cache.touchBlocking(agentId, host, version, connectedAt);
      return cache.lastSeqBlocking(agentId);
    }, false)).map(lastSeq -> {
      welcomed = true;
      if (!closed) ws.writeTextMessage(ProtocolCodec.welcome(agentId, lastSeq).encode());
      return (Void) null;
    }).recover(this::failed);
  }

  private void batch(JsonObject m, String text) {
    if (!welcomed && chain.isComplete()) {
      refuse("batch before hello");
      return;
    }
    Batch b;
    try {
      b = ProtocolCodec.decodeBatch(m);
      validate(b);
    } catch (ProtocolException e) {
      refuse(e.getMessage());
      return;
    }
    long newestSlot = b.slots().stream().mapToLong(SlotDelta::slot).max().orElse(b.closedBefore());
    chain = chain.compose(v -> hz.executeBlocking(() -> {
      // journalled (and synced) first: an acknowledged batch survives even a restart of every member
      journal.appendBlocking(agentId, b.seq(), Math.max(newestSlot, b.closedBefore()), host, version, text);
      return cache.applyBlocking(agentId, host, version, b);
    }, false))
        .map(applied -> {
          if (!closed) ws.writeTextMessage(ProtocolCodec.ack(b.seq(), applied.duplicate()).encode());
          if (!applied.touchedSlots().isEmpty()) {
            vertx.eventBus().publish(LiveHub.TOUCHED, new JsonObject().put("slots", new JsonArray(applied.touchedSlots().stream().toList())));
          }
          return (Void) null;
        }).recover(this::failed);
  }

  private void validate(Batch b) {
    if (b.stepSeconds() != RrdLayout.STEP) {
      throw new ProtocolException("step " + b.stepSeconds() + " s is not this aggregator's step (" + RrdLayout.STEP + " s)");
    }
    long limit = System.currentTimeMillis() / 1000 + MAX_FUTURE_SECONDS;
    for (SlotDelta d : b.slots()) {
      if (d.slot() > limit) throw new ProtocolException("slot " + d.slot() + " is more than a day in the future");
    }
  }

  private Future<Void> failed(Throwable err) {
    // not acknowledged: the agent keeps the batch in its spool and sends it again after reconnecting
    LOG.warning("agent " + agentId + ": cannot store a batch: " + err);
    if (!closed) ws.close((short) 1011, "cannot store the batch now");
    return Future.failedFuture(err);
  }

  private void refuse(String reason) {
    LOG.warning("agent " + agentId + " refused: " + reason);
    if (closed) return;
    ws.writeTextMessage(ProtocolCodec.error(reason).encode());
    ws.close((short) 1008, reason.length() > 120 ? reason.substring(0, 120) : reason);
  }
}
