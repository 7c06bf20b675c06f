package callwatch.aggregator.watch;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Notifications — webhooks and e-mails — exactly once per (alert, transition, channel) across the cluster. Each is a
 * record in {@link #MAP} (with the cache's backups), made once with putIfAbsent by whoever
 * changes the alert. Every member's sender, once a second, claims what is due — unclaimed, or
 * claimed by a member that left, or whose claim ran out — by compare-and-set, sends it, and marks
 * it sent at once. A receiver's failure is retried with backoff (1 s doubling to 5 minutes, for a
 * day). The one window no scheme closes: the receiver answered 2xx and the sender died before
 * marking it; another member sends it again once the claim runs out ({@link #CLAIM_MILLIS}),
 * with the same {@code X-Callwatch-Delivery} id, so the receiver can drop the repeat.
 */
public final class Outbox {
  private static final Logger LOG = Logger.getLogger(Outbox.class.getName());
  public static final String MAP = "callwatch.outbox";
  static final long CLAIM_MILLIS = 30_000;
  /** How long a mail relay may say nothing before its connection is given up. */
  static final int MAIL_SILENCE_SECONDS = 20;
  static final long MAX_BACKOFF_MILLIS = 300_000;
  static final long GIVE_UP_MILLIS = 24 * 3600_000L;
  public static final String SIGNATURE_HEADER = "X-Callwatch-Signature";
  public static final String DELIVERY_HEADER = "X-Callwatch-Delivery";
  /** The member that sent it (its cluster address): which one to look at when a delivery goes wrong. */
  public static final String SENDER_HEADER = "X-Callwatch-Sender";
  private final HazelcastInstance hz;
  private final IMap<String, String> records;
  private final List<Webhook> webhooks;
  private final EmailChannel email;
  private final MailClient mail;
  /** The graph of an alert's service around its time, as PNG (null if it cannot be drawn). Blocking. */
  private final java.util.function.Function<JsonObject, byte[]> graph;
  static final String EMAIL = "email";
  private final WebClient http;
  private final WorkerExecutor pool;
  private final String me;
  private final String myAddress;
  /** A round of claiming and sending runs (from the timer, or at once after a new record). */
  private final java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean();
  private final Vertx vertx;

  public Outbox(Vertx vertx, HazelcastInstance hz, List<Webhook> webhooks, EmailChannel email,
                java.util.function.Function<JsonObject, byte[]> graph, WorkerExecutor pool) {
    this.hz = hz;
    this.records = hz.getMap(MAP);
    this.webhooks = webhooks;
    this.email = email;
    this.graph = graph;
    this.mail = email == null ? null : MailClient.createShared(vertx, new MailConfig().setHostname(email.host()).setPort(email.port())
        .setStarttls(StartTLSOptions.valueOf(email.starttls())).setUsername(email.username()).setPassword(email.password())
        .setLogin(email.username() == null ? LoginOption.DISABLED : LoginOption.REQUIRED)
        // a relay that takes the connection and never answers: given up, or a few of them fill the pool
        // and no alert e-mail goes out again; shorter than a claim, so one attempt ends before another starts
        .setConnectTimeout(10_000).setIdleTimeout(MAIL_SILENCE_SECONDS).setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS),
        "callwatch-alerts");
    this.pool = pool;
    this.vertx = vertx;
    this.me = hz.getCluster().getLocalMember().getUuid().toString();
    var address = hz.getCluster().getLocalMember().getAddress();
    this.myAddress = address.getHost() + ":" + address.getPort();
    this.http = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5000).setIdleTimeout(10));
    if (!webhooks.isEmpty() || email != null) vertx.setPeriodic(1000, id -> sendDue());
  }

  /** The record's key: one per alert, transition and channel (a webhook's index, or "email"). */
  static String key(String alertId, String transition, Object channel) {
    return alertId + "|" + transition + "|" + channel;
  }

  /** The transition an alert's state stands for: firing, acknowledged or resolved. */
  static String transitionOf(JsonObject alert) {
    return alert.getString("acknowledgedBy") != null && "firing".equals(alert.getString("state")) ? "acknowledged" : alert.getString("state");
  }

  /** Makes the notifications of an alert's newest transition (once: a second call adds nothing). Blocking. */
  public void enqueueBlocking(JsonObject alert) {
    enqueueBlocking(alert, transitionOf(alert));
  }

  /**
   * Makes the notifications of one transition of an alert (firing, acknowledged, resolved, or a
   * reminder: {@code reminder-N}) on every channel whose route takes it; once per (alert, transition,
   * channel): a second call adds nothing. Blocking.
   */
  public void enqueueBlocking(JsonObject alert, String transition) {
    if (alert.getString("silencedBy") != null) return; // recorded and shown, not sent
    String kind = alert.getString("kind");
    String service = alert.getJsonObject("subject", new JsonObject()).getString("service");
    String severity = alert.getString("severity");
    for (int i = 0; i < webhooks.size(); i++) {
      if (!webhooks.get(i).route().wants(kind, service, severity)) continue;
      JsonObject payload = new JsonObject().put("delivery", key(alert.getString("id"), transition, i)).put("transition", transition)
          .put("alert", alert);
      putNew(key(alert.getString("id"), transition, i), new JsonObject().put("channel", i).put("payload", payload));
    }
    List<EmailChannel.Route> routes = email == null ? List.of() : email.routes();
    for (int r = 0; r < routes.size(); r++) {
      if (!routes.get(r).route().wants(kind, service, severity)) continue;
      putNew(key(alert.getString("id"), transition, EMAIL + "-" + r), new JsonObject().put("channel", EMAIL).put("route", r)
          .put("payload", new JsonObject().put("transition", transition).put("alert", alert)));
    }
  }

  private void putNew(String key, JsonObject record) {
    String before = records.putIfAbsent(key, record.put("attempts", 0).put("due", 0L).put("created", System.currentTimeMillis()).encode());
    // sent at once from here rather than at the next round of the timer (up to a second later)
    if (before == null) vertx.runOnContext(v -> sendDue());
  }

  private void sendDue() {
    if (!sending.compareAndSet(false, true)) return;
    pool.executeBlocking(this::claimDueBlocking, false).onComplete(ar -> {
      sending.set(false);
      if (ar.failed()) {
        LOG.warning("notifications: " + ar.cause());
        return;
      }
      ar.result().forEach(this::send);
    });
  }

  /** Claims (compare-and-set) every record due now. */
  private Map<String, JsonObject> claimDueBlocking() {
    long now = System.currentTimeMillis();
    Set<String> members = new java.util.HashSet<>();
    hz.getCluster().getMembers().forEach(m -> members.add(m.getUuid().toString()));
    Map<String, JsonObject> claimed = new java.util.HashMap<>();
    for (Map.Entry<String, String> e : records.entrySet()) {
      JsonObject r = new JsonObject(e.getValue());
      if (r.getBoolean("sent", false) || r.getBoolean("gaveUp", false) || r.getLong("due", 0L) > now) continue;
      String holder = r.getString("claimedBy");
      boolean free = holder == null || !members.contains(holder) || r.getLong("claimUntil", 0L) < now;
      if (!free) continue;
      JsonObject mine = r.copy().put("claimedBy", me).put("claimUntil", now + CLAIM_MILLIS);
      if (records.replace(e.getKey(), e.getValue(), mine.encode())) claimed.put(e.getKey(), mine);
    }
    return claimed;
  }

  private void send(String key, JsonObject record) {
    if (EMAIL.equals(record.getValue("channel"))) {
      EmailChannel.Route route = email.routes().get(record.getInteger("route", 0));
      pool.executeBlocking(() -> AlertMail.of(record.getJsonObject("payload"), email.from(), route.to(), graph, System.currentTimeMillis()), false)
          .compose(message -> mail.sendMail(message.setHeaders(io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("X-Callwatch-Delivery", key))))
          .onComplete(ar -> pool.executeBlocking(() -> {
            settleBlocking(key, record, ar.succeeded(), ar.succeeded() ? "" : String.valueOf(ar.cause()));
            return null;
          }, false));
      return;
    }
    Webhook w = webhooks.get(record.getInteger("channel"));
    Buffer body = Buffer.buffer(record.getJsonObject("payload").encode());
    http.postAbs(w.url()).putHeader("content-type", "application/json").putHeader(DELIVERY_HEADER, key)
        .putHeader(SENDER_HEADER, myAddress).putHeader(SIGNATURE_HEADER, "sha256=" + hmac(w.secret(), body.getBytes())).timeout(10_000).sendBuffer(body)
        .onComplete(ar -> {
          boolean ok = ar.succeeded() && ar.result().statusCode() / 100 == 2;
          String why = ar.succeeded() ? "HTTP " + ar.result().statusCode() : String.valueOf(ar.cause());
          pool.executeBlocking(() -> {
            settleBlocking(key, record, ok, why);
            return null;
          }, false);
        });
  }

  /** Marks it sent at once (the window above), or schedules the next attempt. */
  private void settleBlocking(String key, JsonObject record, boolean ok, String why) {
    String current = records.get(key);
    if (current == null) return;
    JsonObject r = new JsonObject(current);
    if (!me.equals(r.getString("claimedBy"))) return; // taken over meanwhile: the other member settles it
    int attempts = r.getInteger("attempts", 0) + 1;
    r.put("attempts", attempts).remove("claimedBy");
    r.remove("claimUntil");
    long now = System.currentTimeMillis();
    if (ok) {
      r.put("sent", true).put("sentAt", now);
    } else if (now - r.getLong("created", now) > GIVE_UP_MILLIS) {
      r.put("gaveUp", true).put("lastError", why);
      LOG.warning(channelName(r) + ": gave up " + key + " after " + attempts + " attempts: " + why);
    } else {
      r.put("due", now + Math.min(MAX_BACKOFF_MILLIS, 1000L << Math.min(20, attempts - 1))).put("lastError", why);
      if (attempts == 1 || attempts % 10 == 0) {
        LOG.warning(channelName(r) + ": " + key + " not delivered (" + why + "), attempt " + attempts + "; retrying");
      }
    }
    records.set(key, r.encode());
  }

  private String channelName(JsonObject record) {
    return EMAIL.equals(record.getValue("channel")) ? email + " to " + email.routes().get(record.getInteger("route", 0)).to()
        : String.valueOf(webhooks.get(record.getInteger("channel")));
  }

  static String hmac(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
