package callwatch.aggregator;

import callwatch.common.model.Metrics;
import callwatch.common.protocol.Protocol;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An agent connection driven by hand, frame by frame, for tests of what the aggregator does with
 * odd or hostile input. Answers are queued; a close is queued as {@code {"type":"closed"}}.
 */
final class RawAgent implements AutoCloseable {
  /** Kept: Vert.x closes a client's connections once the client object is garbage collected. */
  private final io.vertx.core.http.WebSocketClient client;
  private final WebSocket ws;
  private final LinkedBlockingQueue<JsonObject> answers = new LinkedBlockingQueue<>();

  RawAgent(Vertx vertx, int port, String agentId, String secret) {
    client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(64 << 20));
    ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(Protocol.AGENT_PATH)
            .addHeader(Protocol.AUTH_HEADER, Protocol.bearer(agentId, secret))).await();
    ws.textMessageHandler(t -> answers.add(new JsonObject(t)));
    ws.exceptionHandler(err -> answers.add(new JsonObject().put("type", "exception").put("error", String.valueOf(err))));
    ws.closeHandler(v -> answers.add(new JsonObject().put("type", "closed").put("code", ws.closeStatusCode()).put("reason", ws.closeReason())));
  }

  RawAgent send(String text) {
    ws.writeTextMessage(text);
    return this;
  }

  /** Says hello (with an epoch and the newest seq spooled) and returns the welcome's lastSeq. */
  long hello(String agentId, String epoch, long spooled) {
    send(new JsonObject().put("type", "hello").put("v", Protocol.VERSION).put("agent", agentId).put("host", agentId + "-host")
        .put("version", "test").put("epoch", epoch).put("spooled", spooled).encode());
    JsonObject w = next();
    if (!"welcome".equals(w.getString("type"))) throw new AssertionError("expected a welcome, got " + w);
    return w.getLong("lastSeq");
  }

  /** The next answer (ack, welcome, error or closed); fails after 30 s of silence. */
  JsonObject next() {
    try {
      JsonObject a = answers.poll(30, TimeUnit.SECONDS);
      if (a == null) throw new AssertionError("no answer from the aggregator within 30 s");
      return a;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A batch of {@code calls} OK calls of (service, op) in {@code slot}, as a JSON object to alter before sending. */
  static JsonObject batch(long seq, long slot, long closedBefore, String service, String op, long calls) {
    JsonArray c = new JsonArray();
    for (int i = 0; i < Metrics.SIZE; i++) c.add(i == Metrics.CALLS || i == Metrics.OK ? calls : 0L);
    return new JsonObject().put("type", "batch").put("v", Protocol.VERSION).put("seq", seq).put("step", 10)
        .put("closedBefore", closedBefore)
        .put("slots", new JsonArray().add(new JsonObject().put("t", slot)
            .put("rows", new JsonArray().add(new JsonArray().add(service).add(op).add("V").add("h1").add(c)))))
        .put("stats", new JsonObject().put("counters", new JsonObject()).put("files", new JsonArray()));
  }

  static long currentSlot() {
    return System.currentTimeMillis() / 10_000 * 10;
  }

  @Override
  public void close() {
    ws.close();
    client.close();
  }
}
