package callwatch.agent.ship;

import callwatch.common.log.LogLimiter;
import callwatch.common.protocol.Bounds;
import callwatch.common.protocol.Hello;
import callwatch.common.protocol.Protocol;
import callwatch.common.protocol.ProtocolCodec;
import callwatch.common.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.logging.Logger;

/**
 * The agent's one outbound connection: a WebSocket to the first aggregator that answers. It sends
 * spooled batches in sequence order, a few in flight, and reports each acknowledgement. Event-loop
 * only; the spool is reached through the {@link SpoolAccess} callbacks, which run on the worker.
 *
 * <p>After (re)connecting, the aggregator's welcome names the last batch it stored from this
 * agent, so a batch whose ack was lost is not sent again, and sending resumes just after it.
 */
public final class Shipper {
  private static final Logger LOG = Logger.getLogger(Shipper.class.getName());
  /** An aggregator that refuses us or cannot be reached: one line a minute per address, not one per retry. */
  private final LogLimiter connectFailures = new LogLimiter(60_000);
  /**
   * Batches in flight: enough that an agent replaying a backlog keeps the aggregator busy (it stores
   * what has arrived together, see the aggregator's AgentSession), bounded in bytes too so that a
   * crowd of agents with large batches cannot fill the aggregator's memory.
   */
  private static final int WINDOW = 64;
  private static final long WINDOW_BYTES = 4L << 20;
  private final java.util.TreeMap<Long, Integer> inFlightBytes = new java.util.TreeMap<>();
  private long bytesInFlight;
  private static final int RECENT_MAX = 64;
  private static final long ACK_TIMEOUT_MILLIS = 30_000;

  /** Access to the spool, which lives on the agent's worker thread. */
  public interface SpoolAccess {
    Future<String> read(long seq);
    Future<Void> acked(long seq);
  }

  private final Vertx vertx;
  private final String agentId;
  private final String secret;
  private final String host;
  private final String epoch;
  private final List<URI> addresses;
  private final SpoolAccess spool;
  private final ReconnectPolicy backoff;
  private final WebSocketClient client;
  private final Runnable onReconnect;
  private final TreeMap<Long, String> recent = new TreeMap<>();
  private final callwatch.agent.spool.SendGate gate;
  private WebSocket ws;
  private boolean welcomed;
  private boolean loading;
  private boolean stopped;
  private int addressIndex;
  private long lastAcked;
  private long lastSent;
  private long highestSpooled;
  private long lastAckAtMillis;
  private String lastError = "";

  public Shipper(Vertx vertx, String agentId, String secret, String host, String epoch, List<URI> addresses, String trustPem,
                 long reconnectMinMillis, long reconnectMaxMillis, long highestSpooled, SpoolAccess spool, Runnable onReconnect) {
    this(vertx, agentId, secret, host, epoch, addresses, trustPem, reconnectMinMillis, reconnectMaxMillis, highestSpooled, spool,
        onReconnect, new callwatch.agent.spool.SendGate(highestSpooled));
  }

  public Shipper(Vertx vertx, String agentId, String secret, String host, String epoch, List<URI> addresses, String trustPem,
                 long reconnectMinMillis, long reconnectMaxMillis, long highestSpooled, SpoolAccess spool, Runnable onReconnect,
                 callwatch.agent.spool.SendGate gate) {
    this.gate = gate;
    this.vertx = vertx;
    this.agentId = agentId;
    this.secret = secret;
    this.host = host;
    this.epoch = epoch;
    this.addresses = addresses;
    this.spool = spool;
    this.onReconnect = onReconnect;
    this.highestSpooled = highestSpooled;
    this.backoff = new ReconnectPolicy(reconnectMinMillis, reconnectMaxMillis, new Random());
    WebSocketClientOptions options = new WebSocketClientOptions().setMaxFrameSize(Bounds.MAX_FRAME_BYTES).setMaxMessageSize(Bounds.MAX_BROWSER_MESSAGE_BYTES * 16)
        .setConnectTimeout(5000);
    if (trustPem != null) options.setTrustOptions(new PemTrustOptions().addCertPath(trustPem));
    this.client = vertx.createWebSocketClient(options);
  }

  public void start() {
    connect();
    vertx.setPeriodic(5000, id -> checkAckTimeout());
  }

  public Future<Void> stop() {
    stopped = true;
    WebSocket w = ws;
    return (w == null ? Future.<Void>succeededFuture() : w.close()).transform(x -> client.close());
  }

  /** Nothing new was spooled, but a batch held back for merging may be free to go. */
  public void poke() {
    sendMore();
  }

  /** A new batch is in the spool. */
  public void offer(long seq, String json) {
    highestSpooled = Math.max(highestSpooled, seq);
    recent.put(seq, json);
    trimRecent();
    sendMore();
  }

  /**
   * Keeps at most RECENT_MAX batches and RECENT_MAX_CHARS of text at hand; the others are read back
   * from the spool when needed. Merged backlog batches are large: 64 of them would be 16 MiB of an
   * agent's heap. What goes first: batches already sent (needed again only after a reconnect),
   * then the newest; the next one to send always stays.
   */
  private void trimRecent() {
    long chars = 0;
    for (String s : recent.values()) chars += s.length();
    long keep = lastSent + 1;
    while (recent.size() > 1 && (recent.size() > RECENT_MAX || chars > RECENT_MAX_CHARS)) {
      Long victim = recent.firstKey() < keep ? recent.firstKey() : recent.lastKey() > keep ? recent.lastKey() : null;
      if (victim == null) return;
      chars -= recent.remove(victim).length();
    }
  }

  private static final long RECENT_MAX_CHARS = 2L << 20;

  public boolean connected() {
    return welcomed;
  }

  public long lastAcked() {
    return lastAcked;
  }

  public String lastError() {
    return lastError;
  }

  private void connect() {
    if (stopped) return;
    URI uri = addresses.get(addressIndex % addresses.size());
    boolean tls = "wss".equals(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(uri.getHost()).setPort(port)
        .setURI(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? Protocol.AGENT_PATH : uri.getRawPath())
        .setSsl(tls).addHeader(Protocol.AUTH_HEADER, Protocol.bearer(agentId, secret == null ? "" : secret));
    client.connect(options).onSuccess(this::connected).onFailure(err -> {
      lastError = err instanceof io.vertx.core.http.UpgradeRejectedException r
          ? uri + " refused this agent (HTTP " + r.getStatus() + "): " + refusalOf(r) + (r.getStatus() == 401 ? "; check agentId and secret" : "")
          : "cannot reach " + uri + ": " + err.getMessage();
      long held = connectFailures.allow(uri.toString(), System.currentTimeMillis());
      if (held >= 0) LOG.warning(lastError + "; retrying" + LogLimiter.heldBack(held));
      long paced = err instanceof io.vertx.core.http.UpgradeRejectedException r ? retryAfterMillis(r) : -1;
      if (paced >= 0 && !stopped) {
        // the aggregator is up and paces its agents: come back when it says (a little spread), same address
        vertx.setTimer(paced + (long) (Math.random() * 1000), id -> connect());
      } else {
        scheduleReconnect();
      }
    });
  }

  /** The wait a busy aggregator asks for (503 or 429 with Retry-After, in seconds, at most a minute); -1 if none. */
  static long retryAfterMillis(io.vertx.core.http.UpgradeRejectedException r) {
    if (r.getStatus() != 503 && r.getStatus() != 429) return -1;
    String v = r.getHeaders() == null ? null : r.getHeaders().get("retry-after");
    try {
      return v == null ? -1 : Math.min(60, Math.max(0, Long.parseLong(v.trim()))) * 1000;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String refusalOf(io.vertx.core.http.UpgradeRejectedException r) {
    try {
      return r.getBody() == null ? "(no reason given)" : new io.vertx.core.json.JsonObject(r.getBody()).getString("error", r.getBody().toString());
    } catch (RuntimeException e) {
      return r.getBody().toString();
    }
  }

  private void connected(WebSocket socket) {
    if (stopped) {
      socket.close();
      return;
    }
    ws = socket;
    socket.textMessageHandler(this::onMessage);
    socket.closeHandler(v -> disconnected(socket));
    socket.exceptionHandler(err -> lastError = "connection error: " + err.getMessage());
    gate.talking(true); // before the hello names the newest spooled batch: no merge skips past it from now on
    socket.writeTextMessage(ProtocolCodec.hello(new Hello(agentId, host, AgentVersion.VERSION, epoch, highestSpooled)).encode());
  }

  private void onMessage(String text) {
    JsonObject m;
    try {
      m = ProtocolCodec.parseFrame(text);
    } catch (ProtocolException e) {
      lastError = "aggregator sent a bad frame: " + e.getMessage();
      ws.close();
      return;
    }
    try {
      handle(m);
    } catch (ProtocolException e) {
      // never trust the peer blindly: a wrong answer could make us drop batches it does not hold
      lastError = "aggregator broke the protocol: " + e.getMessage() + "; dropping the connection, trying the next aggregator";
      LOG.warning(lastError);
      ws.close();
    }
  }

  private void handle(JsonObject m) {
    switch (m.getString("type")) {
      case Protocol.WELCOME -> {
        long stored = ProtocolCodec.decodeWelcomeLastSeq(m);
        if (stored > highestSpooled) {
          throw new ProtocolException("welcome says it holds our batches up to " + stored + ", but we have cut only " + highestSpooled);
        }
        welcomed = true;
        backoff.reset();
        lastAckAtMillis = System.currentTimeMillis();
        connectFailures.clear(); // the next failure is news again
        LOG.info("connected to the aggregator; it holds our batches up to " + stored);
        acked(Math.max(lastAcked, stored));
        lastSent = lastAcked;
        inFlightBytes.clear(); // a new connection: nothing of ours is in flight on it
        bytesInFlight = 0;
        sendMore();
      }
      case Protocol.ACK -> {
        if (!welcomed) throw new ProtocolException("ack before welcome");
        long seq = ProtocolCodec.decodeAckSeq(m);
        if (seq <= lastAcked || seq > lastSent) {
          throw new ProtocolException("ack for batch " + seq + ", but the batches in flight are " + (lastAcked + 1) + " to " + lastSent);
        }
        lastAckAtMillis = System.currentTimeMillis();
        acked(seq);
        sendMore();
      }
      case Protocol.WAIT -> {
        // the member holds a batch of ours for detection's pace: it is alive and the ack will come,
        // so the wait for it starts again rather than running out into a reconnect
        if (!welcomed) throw new ProtocolException("wait before welcome");
        lastAckAtMillis = System.currentTimeMillis();
      }
      case Protocol.ERROR -> {
        lastError = "aggregator refused: " + m.getString("reason");
        LOG.warning(lastError);
      }
      default -> { }
    }
  }

  private void acked(long seq) {
    if (seq <= lastAcked && seq != 0) return;
    lastAcked = Math.max(lastAcked, seq);
    recent.headMap(lastAcked, true).clear();
    gate.acked(lastAcked);
    var done = inFlightBytes.headMap(lastAcked, true);
    for (int size : done.values()) bytesInFlight -= size;
    done.clear();
    spool.acked(lastAcked).onFailure(err -> LOG.warning("cannot clear the spool: " + err.getMessage()));
  }

  private void sendMore() {
    // the window counts frames in flight: batches merged into a later one take no room in it
    while (ws != null && welcomed && !loading && lastSent < highestSpooled && inFlightBytes.size() < WINDOW
        && (bytesInFlight < WINDOW_BYTES || inFlightBytes.isEmpty())) {
      long next = lastSent + 1;
      callwatch.agent.spool.SendGate.Verdict verdict = gate.beforeSending(next);
      if (verdict == callwatch.agent.spool.SendGate.Verdict.WAIT) return; // being merged into the batch cut now: offered as that one
      if (verdict == callwatch.agent.spool.SendGate.Verdict.SKIP) {
        recent.remove(next);
        lastSent = next;
        continue;
      }
      String json = recent.get(next);
      if (json == null) {
        loadFromSpool(next);
        return;
      }
      lastSent = next;
      inFlightBytes.put(next, json.length());
      bytesInFlight += json.length();
      ws.writeTextMessage(json);
    }
  }

  private void loadFromSpool(long seq) {
    loading = true;
    spool.read(seq).onComplete(ar -> {
      loading = false;
      if (ar.succeeded() && ar.result() != null) {
        recent.put(seq, ar.result());
        trimRecent();
      } else if (ar.succeeded()) {
        // acknowledged meanwhile (and so removed): skip it
        lastSent = Math.max(lastSent, seq);
        lastAcked = Math.max(lastAcked, seq);
      } else {
        LOG.warning("cannot read batch " + seq + " from the spool: " + ar.cause().getMessage());
        return;
      }
      sendMore();
    });
  }

  private void checkAckTimeout() {
    if (ws != null && welcomed && lastSent > lastAcked && System.currentTimeMillis() - lastAckAtMillis > ACK_TIMEOUT_MILLIS) {
      lastError = "no acknowledgement for " + ACK_TIMEOUT_MILLIS / 1000 + " s; reconnecting";
      ws.close();
    }
  }

  private void disconnected(WebSocket socket) {
    if (ws != socket) return;
    ws = null;
    welcomed = false;
    gate.talking(false);
    onReconnect.run();
    if (!stopped) LOG.info("disconnected from the aggregator" + (lastError.isEmpty() ? "" : ": " + lastError));
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    if (stopped) return;
    addressIndex++; // fail over to the next address
    vertx.setTimer(backoff.nextDelayMillis(), id -> connect());
  }

  /** Keeps a function reference type visible for callers that adapt blocking reads. */
  public static SpoolAccess access(LongFunction<Future<String>> read, LongFunction<Future<Void>> acked) {
    return new SpoolAccess() {
      @Override public Future<String> read(long seq) { return read.apply(seq); }
      @Override public Future<Void> acked(long seq) { return acked.apply(seq); }
    };
  }
}
