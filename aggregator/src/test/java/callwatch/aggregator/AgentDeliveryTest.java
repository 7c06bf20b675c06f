package callwatch.aggregator;

import static callwatch.aggregator.TestNodes.agentStats;
import static callwatch.aggregator.TestNodes.await;
import static callwatch.aggregator.TestNodes.total;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.agent.AgentVerticle;
import callwatch.agent.config.AgentConfig;
import callwatch.common.config.ConfigSection;
import callwatch.common.protocol.Protocol;
import callwatch.common.protocol.ProtocolCodec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every call written arrives exactly once, whatever happens between the file and the aggregator. */
class AgentDeliveryTest {
  private static final String SECRET = "delivery-secret-1";
  private final List<Runnable> cleanup = new ArrayList<>();
  @TempDir Path tmp;

  @AfterEach
  void tearDown() {
    for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).run();
  }

  private AggregatorNode node(int httpPort) {
    AggregatorConfig cfg = TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 5811, List.of(),
        Map.of("agent-a", SECRET)).withHttpPort(httpPort);
    return TestNodes.start(cfg);
  }

  private Vertx agent(int port, Path logs) {
    JsonObject cfg = TestNodes.agentJson("agent-a", SECRET, tmp.resolve("agent"), port,
        new JsonArray().add(new JsonObject().put("glob", logs + "/app.log*").put("format", "app")));
    cfg.put("graceMillis", 3000);
    Vertx v = TestNodes.startAgent(cfg);
    cleanup.add(() -> v.close().await());
    return v;
  }

  private static int unusedLoopbackPort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** An agent in this JVM, kept at hand so the test can read its own figures while no aggregator is up. */
  private AgentVerticle inProcessAgent(JsonObject cfg) {
    AgentVerticle agent = new AgentVerticle(AgentConfig.from(new ConfigSection("test", "", cfg)));
    Vertx vertx = Vertx.vertx();
    cleanup.add(() -> vertx.close().await());
    vertx.deployVerticle(agent).await();
    return agent;
  }

  private void awaitAllRead(int port, CallLogWriter w) {
    try {
      await("the aggregator holds every line written", Duration.ofSeconds(90),
          () -> TestNodes.counter(port, "agent-a", "parsed") == w.written());
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": parsed " + TestNodes.counter(port, "agent-a", "parsed") + " of " + w.written()
          + "; agent: " + agentStats(port, "agent-a").getJsonObject("stats").encode());
    }
  }

  private void assertExact(int port, CallLogWriter w, long fromSec, long toSec) {
    String range = "from=" + fromSec + "&to=" + toSec;
    for (String svc : CallLogWriter.services()) {
      assertEquals(w.written(svc), total(port, svc + ".calls", range), svc + " calls: 0 lost, 0 double");
    }
  }

  /** Per 10 s slot, the stored count equals the count of lines stamped in that slot. */
  private void assertPerSlot(int port, CallLogWriter w, long fromSec, long toSec) {
    // the agent's figures can arrive just before its last batch is stored: give the counts a moment
    try {
      await("the stored counts", Duration.ofSeconds(30), () -> java.util.Arrays.stream(CallLogWriter.services())
          .allMatch(svc -> w.perSlot(svc).equals(storedPerSlot(port, svc, fromSec, toSec))));
    } catch (AssertionError e) {
      // compared below, service by service, with the difference shown
    }
    for (String svc : CallLogWriter.services()) {
      assertEquals(w.perSlot(svc), storedPerSlot(port, svc, fromSec, toSec), svc + " per slot");
    }
  }

  private static TreeMap<Long, Long> storedPerSlot(int port, String svc, long fromSec, long toSec) {
    TreeMap<Long, Long> actual = new TreeMap<>();
    var raw = TestNodes.getRaw(port, "/api/series/" + svc + ".calls?from=" + fromSec + "&to=" + toSec);
    if (raw.statusCode() == 404) return actual; // nothing stored under that service yet
    JsonObject r = new JsonObject(raw.body());
    assertEquals(10, r.getLong("step"));
    for (Object o : r.getJsonArray("points")) {
      JsonArray p = (JsonArray) o;
      if (p.getValue(1) != null && p.getLong(1) != 0) actual.put(p.getLong(0), p.getLong(1));
    }
    return actual;
  }

  private void writeFor(CallLogWriter w, Duration d, int rotateEvery, CallLogWriter.Rotation how) throws Exception {
    long end = System.nanoTime() + d.toNanos();
    long sinceRotation = 0;
    while (System.nanoTime() < end) {
      w.write(25, System.currentTimeMillis());
      sinceRotation += 25;
      if (rotateEvery > 0 && sinceRotation >= rotateEvery) {
        w.rotate(how);
        sinceRotation = 0;
      }
      Thread.sleep(10);
    }
  }

  @Test
  @Timeout(120)
  @DisplayName("follows rename rotation every 300 lines while writing continuously: 0 lost, 0 double")
  void followsRenameRotation() throws Exception {
    rotationScenario(CallLogWriter.Rotation.RENAME);
  }

  @Test
  @Timeout(120)
  @DisplayName("follows copytruncate rotation every 300 lines while writing continuously: 0 lost, 0 double")
  void followsCopytruncateRotation() throws Exception {
    rotationScenario(CallLogWriter.Rotation.COPYTRUNCATE);
  }

  private void rotationScenario(CallLogWriter.Rotation how) throws Exception {
    AggregatorNode node = node(0);
    cleanup.add(node::closeBlocking);
    Path logs = java.nio.file.Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    long start = System.currentTimeMillis() / 1000;
    w.write(10, System.currentTimeMillis());
    agent(node.port(), logs);
    writeFor(w, Duration.ofSeconds(4), 300, how);
    awaitAllRead(node.port(), w);
    assertExact(node.port(), w, start - 60, start + 120);
  }

  @Test
  @Timeout(180)
  @DisplayName("an aggregator outage: the backlog is replayed after the restart, each call at its own slot")
  void aggregatorOutageBacklogLandsAtOriginalTimes() throws Exception {
    AggregatorNode first = node(0);
    int port = first.port();
    Path logs = java.nio.file.Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    long start = System.currentTimeMillis() / 1000;
    agent(port, logs);
    writeFor(w, Duration.ofSeconds(2), 0, null);
    first.closeBlocking();                           // the central side goes away ...
    writeFor(w, Duration.ofSeconds(12), 500, CallLogWriter.Rotation.RENAME);  // ... the servers go on
    AggregatorNode second = node(port);              // and comes back on the same address
    cleanup.add(second::closeBlocking);
    writeFor(w, Duration.ofSeconds(1), 0, null);
    awaitAllRead(port, w);
    assertExact(port, w, start - 60, start + 120);
    assertPerSlot(port, w, start - 60, start + 120);
    long spool = agentStats(port, "agent-a").getJsonObject("stats").getJsonObject("counters").getLong("reconnects");
    assertTrue(spool >= 1, "the agent noticed the outage and reconnected");
  }

  @Test
  @Timeout(180)
  @DisplayName("a full spool pauses reading (the log files are the buffer), says so, and loses nothing once the aggregator is back")
  void fullSpoolPausesReadingAndLosesNothing() throws Exception {
    int port = unusedLoopbackPort(); // nothing listens there until the aggregator starts
    Path logs = java.nio.file.Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    long start = System.currentTimeMillis() / 1000;
    JsonObject cfg = TestNodes.agentJson("agent-a", SECRET, tmp.resolve("agent"), port,
        new JsonArray().add(new JsonObject().put("glob", logs + "/app.log*").put("format", "app")));
    cfg.put("spoolMaxBytes", 4096).put("graceMillis", 3000);
    AgentVerticle agent = inProcessAgent(cfg);
    writeFor(w, Duration.ofSeconds(6), 0, null);
    await("the agent pauses reading with its spool full", Duration.ofSeconds(30),
        () -> agent.pipeline().stats().get("readPaused") == 1);
    var paused = agent.pipeline().stats();
    assertTrue(paused.get("lagBytes") > 0, "unread lines wait in the log file: " + paused.counters());
    assertTrue(paused.get("parsed") < w.written(), "not everything was read: " + paused.counters());
    assertEquals(0, paused.get("lostBytes"));
    AggregatorNode node = node(port);
    cleanup.add(node::closeBlocking);
    awaitAllRead(port, w);
    assertExact(port, w, start - 60, start + 120);
    assertPerSlot(port, w, start - 60, start + 120);
    await("reading resumes once the spool drains", Duration.ofSeconds(30),
        () -> agent.pipeline().stats().get("readPaused") == 0);
  }

  @Test
  @Timeout(180)
  @DisplayName("a full disk under the agent's state folder stops spooling and the checkpoint (not corrupted), and nothing is lost once there is room")
  void fullDiskStopsCheckpointsWithoutCorruptingThem() throws Exception {
    Path state = java.nio.file.Files.createDirectories(tmp.resolve("agent-state"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", state.toString())
        .redirectErrorStream(true).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0,
        "needs root to mount a small tmpfs (CI runs as root): " + new String(mount.getInputStream().readAllBytes()));
    cleanup.add(() -> {
      try {
        new ProcessBuilder("umount", "-l", state.toString()).start().waitFor();
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    int port = unusedLoopbackPort(); // nothing listens there until the aggregator starts
    Path logs = java.nio.file.Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    long start = System.currentTimeMillis() / 1000;
    JsonObject cfg = TestNodes.agentJson("agent-a", SECRET, state, port,
        new JsonArray().add(new JsonObject().put("glob", logs + "/app.log*").put("format", "app")));
    cfg.put("graceMillis", 3000); // the spool cap (1 GiB) is far above the disk: the disk fills first
    AgentVerticle agent = inProcessAgent(cfg);
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (agent.pipeline().stats().get("readPaused") == 0) { // the servers log until the agent's disk is full
      assertTrue(System.nanoTime() < deadline, "the disk should have filled: " + agent.pipeline().stats().counters());
      w.write(25, System.currentTimeMillis());
      Thread.sleep(10);
    }
    writeFor(w, Duration.ofSeconds(2), 0, null); // the servers go on logging
    Thread.sleep(1000);
    var paused = agent.pipeline().stats();
    assertTrue(paused.get("parsed") < w.written() && paused.get("lagBytes") > 0, "the rest waits in the log file: " + paused.counters());
    JsonObject checkpoint = new JsonObject(java.nio.file.Files.readString(state.resolve("checkpoint.json")));
    assertTrue(checkpoint.getLong("seq") > 0, "the last checkpoint written is whole: " + checkpoint.encode());
    AggregatorNode node = node(port);
    cleanup.add(node::closeBlocking);
    awaitAllRead(port, w);
    assertExact(port, w, start - 60, start + 120);
    assertPerSlot(port, w, start - 60, start + 120);
  }

  @Test
  @Timeout(180)
  @DisplayName("an outage's backlog is spooled as a few merged batches; the connection cut after the first is stored: 0 lost, 0 double")
  void mergedBacklogIsExactThroughACutMidReplay() throws Exception {
    int port = unusedLoopbackPort(); // nothing listens there until the aggregator starts
    AckEatingProxy proxy = new AckEatingProxy(port);
    cleanup.add(proxy::close);
    Path logs = java.nio.file.Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    long start = System.currentTimeMillis() / 1000;
    JsonObject cfg = TestNodes.agentJson("agent-a", SECRET, tmp.resolve("agent"), proxy.port(),
        new JsonArray().add(new JsonObject().put("glob", logs + "/app.log*").put("format", "app")));
    cfg.put("graceMillis", 3000);
    AgentVerticle agent = inProcessAgent(cfg);
    writeFor(w, Duration.ofSeconds(15), 0, null);
    // more than one merged batch's worth (256 KiB of text), however fast this machine writes and however compact a call's text
    long moreUntil = System.nanoTime() + Duration.ofSeconds(45).toNanos();
    while (agent.pipeline().stats().get("spoolBatches") < 2 && System.nanoTime() < moreUntil) writeFor(w, Duration.ofSeconds(1), 0, null);
    await("everything written is read and spooled", Duration.ofSeconds(30), () -> agent.pipeline().stats().get("parsed") == w.written());
    long cut = agent.pipeline().seq(), spooled = agent.pipeline().stats().get("spoolBatches");
    assertTrue(spooled >= 2 && spooled * 4 <= cut, "a few merged batches spooled (" + spooled + ") for " + cut + " cut");
    AggregatorNode node = node(port);
    cleanup.add(node::closeBlocking);
    await("the proxy cut the connection instead of passing the first ack", Duration.ofSeconds(60), () -> proxy.cuts.get() == 1);
    writeFor(w, Duration.ofSeconds(1), 0, null);
    awaitAllRead(port, w);
    assertExact(port, w, start - 60, start + 120);
    assertPerSlot(port, w, start - 60, start + 120);
  }

  @Test
  @Timeout(120)
  @DisplayName("a lost ack (connection cut after the batch was stored) does not count the batch twice")
  void lostAckIsNotCountedTwice() throws Exception {
    AggregatorNode node = node(0);
    cleanup.add(node::closeBlocking);
    AckEatingProxy proxy = new AckEatingProxy(node.port());
    cleanup.add(proxy::close);
    Path logs = java.nio.file.Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    long start = System.currentTimeMillis() / 1000;
    w.write(100, System.currentTimeMillis());
    agent(proxy.port(), logs);
    await("the proxy cut one connection instead of passing an ack", Duration.ofSeconds(30), () -> proxy.cuts.get() == 1);
    writeFor(w, Duration.ofSeconds(2), 0, null);
    awaitAllRead(node.port(), w);
    assertExact(node.port(), w, start - 60, start + 120);
    assertEquals(1, proxy.cuts.get());
  }

  @Test
  @Timeout(60)
  @DisplayName("an unknown agent and a wrong secret get the same 401 (no guessing of ids), and an agent claiming another's id is refused; nothing is stored")
  void refusesUnknownAndImpostorAgents() throws Exception {
    AggregatorNode node = node(0);
    cleanup.add(node::closeBlocking);
    Vertx vertx = Vertx.vertx();
    cleanup.add(() -> vertx.close().await());
    var client = vertx.createWebSocketClient();
    Throwable refused = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
        .setURI(Protocol.AGENT_PATH).addHeader(Protocol.AUTH_HEADER, Protocol.bearer("stranger", "whatever-secret")))
        .toCompletionStage().toCompletableFuture().handle((ws, err) -> err).get(10, TimeUnit.SECONDS);
    assertTrue(refused instanceof UpgradeRejectedException, "refused before the upgrade: " + refused);
    assertEquals(401, ((UpgradeRejectedException) refused).getStatus());
    String unknownAnswer = ((UpgradeRejectedException) refused).getBody().toString();
    assertTrue(unknownAnswer.contains("unknown agent or wrong secret"), unknownAnswer);

    Throwable wrong = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
        .setURI(Protocol.AGENT_PATH).addHeader(Protocol.AUTH_HEADER, Protocol.bearer("agent-a", "not-the-secret")))
        .toCompletionStage().toCompletableFuture().handle((ws, err) -> err).get(10, TimeUnit.SECONDS);
    assertEquals(401, ((UpgradeRejectedException) wrong).getStatus());
    assertEquals(unknownAnswer, ((UpgradeRejectedException) wrong).getBody().toString(), "an id cannot be told from a wrong secret");

    // three more refused from this address (five in a row): the next upgrade waits, even with the right secret
    for (int i = 0; i < 3; i++) {
      client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port()).setURI(Protocol.AGENT_PATH)
          .addHeader(Protocol.AUTH_HEADER, Protocol.bearer("agent-a", "wrong-" + i))).toCompletionStage().toCompletableFuture()
          .handle((ws, err) -> err).get(10, TimeUnit.SECONDS);
    }
    Throwable slowed = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port()).setURI(Protocol.AGENT_PATH)
        .addHeader(Protocol.AUTH_HEADER, Protocol.bearer("agent-a", SECRET))).toCompletionStage().toCompletableFuture()
        .handle((ws, err) -> err).get(10, TimeUnit.SECONDS);
    assertEquals(429, ((UpgradeRejectedException) slowed).getStatus(), "failed upgrades from one address are slowed down");
    Thread.sleep(2100); // the first wait is 2 s

    // a valid credential for agent-a, but the hello claims to be agent-b
    WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
        .setURI(Protocol.AGENT_PATH).addHeader(Protocol.AUTH_HEADER, Protocol.bearer("agent-a", SECRET))).await();
    CompletableFuture<String> answer = new CompletableFuture<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    ws.textMessageHandler(answer::complete);
    ws.closeHandler(v -> closed.complete(null));
    ws.writeTextMessage(ProtocolCodec.hello("agent-b", "h", "1").encode());
    JsonObject error = new JsonObject(answer.get(60, TimeUnit.SECONDS));
    assertEquals("error", error.getString("type"));
    assertTrue(error.getString("reason").contains("credential is for 'agent-a'"), error.encode());
    closed.get(60, TimeUnit.SECONDS);
    assertNull(agentStats(node.port(), "agent-b"));
    assertNull(agentStats(node.port(), "stranger"));
  }

  @Test
  @Timeout(120)
  @DisplayName("an agent host whose clock is minutes off still counts exactly, by the lines' own time")
  void clockSkewDoesNotMatter() throws Exception {
    AggregatorNode node = node(0);
    cleanup.add(node::closeBlocking);
    Path logs = java.nio.file.Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    long skew = Duration.ofMinutes(7).toMillis();  // the application's clock runs 7 minutes ahead of ours
    agent(node.port(), logs);
    long start = (System.currentTimeMillis() + skew) / 1000;
    long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (System.nanoTime() < end) {
      w.write(20, System.currentTimeMillis() + skew);
      Thread.sleep(20);
    }
    awaitAllRead(node.port(), w);
    assertPerSlot(node.port(), w, start - 60, start + 120);
  }

  @Test
  @Timeout(60)
  @DisplayName("a batch sent again (same agent, same seq) is acknowledged as a duplicate and counted once")
  void resentBatchIsCountedOnce() throws Exception {
    AggregatorNode node = node(0);
    cleanup.add(node::closeBlocking);
    Vertx vertx = Vertx.vertx();
    cleanup.add(() -> vertx.close().await());
    // kept reachable to the end: Vert.x closes a client's connections once the client is garbage collected
    var client = vertx.createWebSocketClient();
    cleanup.add(() -> client.close().await());
    WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(node.port()).setURI(Protocol.AGENT_PATH).addHeader(Protocol.AUTH_HEADER, Protocol.bearer("agent-a", SECRET))).await();
    java.util.concurrent.LinkedBlockingQueue<JsonObject> answers = new java.util.concurrent.LinkedBlockingQueue<>();
    ws.textMessageHandler(t -> answers.add(new JsonObject(t)));
    ws.writeTextMessage(ProtocolCodec.hello("agent-a", "h", "1").encode());
    assertEquals(0L, answers.poll(60, TimeUnit.SECONDS).getLong("lastSeq"));
    long slot = System.currentTimeMillis() / 10_000 * 10;
    long[] c = new long[callwatch.common.model.Metrics.SIZE];
    c[0] = 5;
    c[1] = 5;
    String batch = ProtocolCodec.encode(new callwatch.common.protocol.Batch(1, 10, slot - 10, (slot - 10) * 1000,
        List.of(new callwatch.common.protocol.SlotDelta(slot, List.of(new callwatch.common.protocol.SeriesRow("DPP", "x", "V", "h", c)))),
        List.of(), new callwatch.common.protocol.AgentStats(Map.of(), List.of()))).encode();
    ws.writeTextMessage(batch);
    ws.writeTextMessage(batch);
    JsonObject first = answers.poll(60, TimeUnit.SECONDS), second = answers.poll(60, TimeUnit.SECONDS);
    assertEquals(false, first.getBoolean("duplicate"));
    assertEquals(true, second.getBoolean("duplicate"));
    assertEquals(5, total(node.port(), "DPP.calls", "from=" + (slot - 60) + "&to=" + (slot + 60)));
  }

  @Test
  @Timeout(120)
  @DisplayName("over TLS (wss://) with the aggregator's certificate trusted by the agent, every call arrives")
  void deliversOverTls() throws Exception {
    io.vertx.core.net.SelfSignedCertificate cert = io.vertx.core.net.SelfSignedCertificate.create("localhost");
    TestNodes.writeUsers(tmp.resolve("agg"));
    AggregatorConfig cfg = AggregatorConfig.from(callwatch.common.config.ConfigSection.of("test", Map.of(
        "httpPort", 0, "dataDir", tmp.resolve("agg").toString(), "agents", Map.of("agent-a", SECRET),
        "cluster", Map.of("name", TestNodes.uniqueClusterName(), "port", 5815),
        "tls", Map.of("certPem", cert.certificatePath(), "keyPem", cert.privateKeyPath()))));
    AggregatorNode node = TestNodes.start(cfg);
    cleanup.add(node::closeBlocking);
    Path logs = java.nio.file.Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    w.write(300, System.currentTimeMillis());
    JsonObject agentCfg = TestNodes.agentJson("agent-a", SECRET, tmp.resolve("agent"), node.port(),
        new JsonArray().add(new JsonObject().put("glob", logs + "/app.log*").put("format", "app")))
        .put("aggregators", new JsonArray().add("wss://localhost:" + node.port() + "/agent"))
        .put("trustPem", cert.certificatePath());
    Vertx agent = TestNodes.startAgent(agentCfg);
    cleanup.add(() -> agent.close().await());
    await("delivered over TLS", Duration.ofSeconds(60), () -> {
      try {
        return countOverTls(node.port(), cert) == w.written();
      } catch (Exception e) {
        return false;
      }
    });
    assertEquals(w.written(), countOverTls(node.port(), cert));
  }

  /** The HTTP API is served over the same TLS port: read the total through it with the test's trust. */
  private static long countOverTls(int port, io.vertx.core.net.SelfSignedCertificate cert) throws Exception {
    Vertx v = Vertx.vertx();
    try {
      var client = io.vertx.ext.web.client.WebClient.create(v, new io.vertx.ext.web.client.WebClientOptions().setSsl(true)
          .setTrustOptions(cert.trustOptions()).setVerifyHost(false));
      var login = client.post(port, "localhost", "/api/login")
          .sendJsonObject(new JsonObject().put("user", TestNodes.OPERATOR).put("password", TestNodes.PASSWORD)).await();
      String cookie = login.cookies().get(0).split(";", 2)[0];
      var r = client.get(port, "localhost", "/api/agents").putHeader("cookie", cookie).send().await();
      JsonObject a = r.bodyAsJsonObject().getJsonArray("agents").getJsonObject(0);
      return a.getJsonObject("stats").getJsonObject("counters").getLong("parsed");
    } finally {
      v.close().await();
    }
  }

  /** A loopback TCP proxy that, once, closes both sides instead of passing on an ack frame. */
  static final class AckEatingProxy {
    final AtomicInteger cuts = new AtomicInteger();
    private final Vertx vertx = Vertx.vertx();
    private final NetServer server;
    private final AtomicBoolean armed = new AtomicBoolean(true);

    AckEatingProxy(int target) {
      var client = vertx.createNetClient();
      server = vertx.createNetServer().connectHandler(in -> {
        in.pause();
        client.connect(target, "127.0.0.1").onSuccess(out -> {
          in.handler(out::write);
          out.handler(buf -> fromServer(buf, in, out));
          in.closeHandler(v -> out.close());
          out.closeHandler(v -> in.close());
          in.resume();
        }).onFailure(err -> in.close());
      }).listen(0, "127.0.0.1").await();
    }

    private void fromServer(Buffer buf, NetSocket in, NetSocket out) {
      if (buf.toString().contains("\"type\":\"ack\"") && armed.compareAndSet(true, false)) {
        cuts.incrementAndGet();
        in.close();
        out.close();
        return;
      }
      in.write(buf);
    }

    int port() {
      return server.actualPort();
    }

    void close() {
      vertx.close().await();
    }
  }
}
