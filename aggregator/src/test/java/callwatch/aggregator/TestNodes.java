package callwatch.aggregator;

import callwatch.agent.AgentVerticle;
import callwatch.agent.config.AgentConfig;
import callwatch.common.config.ConfigSection;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** Starts real aggregator nodes and agents on 127.0.0.1 for tests, and reads the HTTP API. */
public final class TestNodes {
  private static final AtomicInteger CLUSTERS = new AtomicInteger();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestNodes() {}

  public static String uniqueClusterName() {
    return "cw-test-" + ProcessHandle.current().pid() + "-" + CLUSTERS.incrementAndGet();
  }

  public static AggregatorConfig config(Path dataDir, String clusterName, int clusterPort, List<String> members, Map<String, String> agents) {
    return config(dataDir, clusterName, clusterPort, members, agents, Map.of());
  }

  /** With more settings ({@code alerting}, {@code detection}, ...). */
  public static AggregatorConfig config(Path dataDir, String clusterName, int clusterPort, List<String> members, Map<String, String> agents,
                                        Map<String, Object> more) {
    writeUsers(dataDir);
    Map<String, Object> c = new java.util.HashMap<>(Map.of(
        "httpPort", 0, "dataDir", dataDir.toString(), "agents", agents,
        "cluster", Map.of("name", clusterName, "port", clusterPort, "members", members)));
    c.putAll(more);
    return AggregatorConfig.from(ConfigSection.of("test", c));
  }

  /** POSTs a JSON body as one of the test accounts, with the session's CSRF token. */
  public static HttpResponse<String> postAs(int port, String path, String user, JsonObject body) {
    return requestAs(port, "POST", path, user, body);
  }

  /** Any method with a JSON body as one of the test accounts, with the session's CSRF token. */
  public static HttpResponse<String> requestAs(int port, String method, String path, String user, JsonObject body) {
    try {
      String cookie = login(port, user, PASSWORD);
      String csrf = new JsonObject(send(port, "/api/me", cookie).body()).getString("csrf");
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
          .header("cookie", cookie).header("X-CSRF-Token", csrf).header("content-type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The test accounts, one per role, all with {@link #PASSWORD}. */
  public static final String ADMIN = "test-admin", OPERATOR = "test-operator", PARTNER = "test-partner";
  public static final String PASSWORD = "test-password-123";
  private static final String HASH = callwatch.aggregator.auth.PasswordHash.hash(PASSWORD);
  private static final Map<String, String> COOKIES = new java.util.concurrent.ConcurrentHashMap<>();

  /** Writes the test accounts into a data folder's users file (where a member looks by default). */
  public static void writeUsers(Path dataDir) {
    try {
      var users = new callwatch.aggregator.auth.UserFile(dataDir.resolve("users.json"));
      if (!users.usersBlocking().isEmpty()) return;
      users.putBlocking(new callwatch.aggregator.auth.UserFile.User(ADMIN, callwatch.aggregator.auth.Role.ADMIN, HASH));
      users.putBlocking(new callwatch.aggregator.auth.UserFile.User(OPERATOR, callwatch.aggregator.auth.Role.OPERATOR, HASH));
      users.putBlocking(new callwatch.aggregator.auth.UserFile.User(PARTNER, callwatch.aggregator.auth.Role.PARTNER, HASH));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Logs {@code user} in on the member at {@code port}; returns the session cookie ("name=value"), or null if refused. */
  public static String login(int port, String user, String password) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/login"))
          .header("content-type", "application/json").timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("user", user).put("password", password).encode())).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) return null;
      return r.headers().firstValue("set-cookie").map(c -> c.split(";", 2)[0]).orElse(null);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** GET as one of the test accounts (null: anonymous), logging in once per member and account. */
  public static HttpResponse<String> getAs(int port, String pathAndQuery, String user) {
    if (user == null) return send(port, pathAndQuery, null);
    String key = port + " " + user;
    String cookie = COOKIES.get(key);
    if (cookie == null) {
      cookie = login(port, user, PASSWORD);
      if (cookie != null) COOKIES.put(key, cookie);
    }
    HttpResponse<String> r = send(port, pathAndQuery, cookie);
    if (r.statusCode() == 401 && !pathAndQuery.startsWith("/api/me")) { // a member restarted with a new port's owner: log in again
      COOKIES.remove(key);
      cookie = login(port, user, PASSWORD);
      if (cookie != null) COOKIES.put(key, cookie);
      r = send(port, pathAndQuery, cookie);
    }
    return r;
  }

  private static HttpResponse<String> send(int port, String pathAndQuery, String cookie) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).GET().timeout(Duration.ofSeconds(30));
      if (cookie != null) b.header("cookie", cookie);
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("GET " + pathAndQuery + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Starts a node from the test thread (never from a Vert.x callback) and waits for it. */
  /** A Hazelcast member with its clustered Vert.x and nothing of callwatch on it: a peer a test drives by hand. */
  public static callwatch.aggregator.cluster.ClusterSetup.Node bareMember(Path dir, String cluster, int port, List<String> members)
      throws java.util.concurrent.TimeoutException {
    return callwatch.aggregator.cluster.ClusterSetup.startClustered(config(dir, cluster, port, members, Map.of()))
        .await(60, java.util.concurrent.TimeUnit.SECONDS);
  }

  public static AggregatorNode start(AggregatorConfig cfg) {
    return AggregatorNode.start(cfg).await();
  }

  public static JsonObject agentJson(String id, String secret, Path stateDir, int port, JsonArray files) {
    return new JsonObject().put("agentId", id).put("secret", secret).put("host", id + "-host")
        .put("aggregators", new JsonArray().add("ws://127.0.0.1:" + port + "/agent"))
        .put("files", files).put("stateDir", stateDir.toString())
        .put("flushMillis", 200).put("scanMillis", 200).put("graceMillis", 0)
        .put("reconnectMinMillis", 100).put("reconnectMaxMillis", 1000);
  }

  /** An agent in a Vert.x of its own, as on a separate server. */
  public static Vertx startAgent(JsonObject cfg) {
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(new AgentVerticle(AgentConfig.from(new ConfigSection("test", "", cfg)))).await();
    return vertx;
  }

  public static JsonObject get(int port, String pathAndQuery) {
    HttpResponse<String> r = getRaw(port, pathAndQuery);
    if (r.statusCode() != 200) throw new AssertionError("GET " + pathAndQuery + " -> " + r.statusCode() + " " + r.body());
    return new JsonObject(r.body());
  }

  /** The JSON body of a 503 answer (a member without the majority says why). */
  public static JsonObject get503(int port) {
    HttpResponse<String> r = getRaw(port, "/api/health");
    if (r.statusCode() != 503) throw new AssertionError("expected 503, got " + r.statusCode() + " " + r.body());
    return new JsonObject(r.body());
  }

  /** GET as the test operator (everything operational). */
  /** GET as one of the test accounts, the answer as bytes (a PDF). */
  public static HttpResponse<byte[]> getBytesAs(int port, String path, String user) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60))
          .header("cookie", login(port, user, PASSWORD)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AssertionError("GET " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** GET without a login, with one request header (e.g. Accept-Language). */
  public static HttpResponse<String> getAnonymous(int port, String pathAndQuery, String header, String value) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(30))
          .header(header, value).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("GET " + pathAndQuery + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public static HttpResponse<String> getRaw(int port, String pathAndQuery) {
    return getAs(port, pathAndQuery, OPERATOR);
  }


  /** The sum of a series' points over a range (exact counts are whole numbers). */
  public static long total(int port, String series, String query) {
    HttpResponse<String> raw = getRaw(port, "/api/series/" + series + "?" + query);
    // a service, op or host nothing has been stored under yet is a 404: no calls (yet)
    if (raw.statusCode() == 404 && raw.body().contains("unknown ")) return 0;
    if (raw.statusCode() != 200) throw new AssertionError("GET " + series + "?" + query + " -> " + raw.statusCode() + " " + raw.body());
    JsonObject r = new JsonObject(raw.body());
    long sum = 0;
    for (Object o : r.getJsonArray("points")) {
      Object v = ((JsonArray) o).getValue(1);
      if (v != null) sum += ((Number) v).longValue();
    }
    return sum;
  }

  /** Removes a folder a test made outside JUnit's temporary folders. */
  public static void deleteTree(Path dir) {
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) java.nio.file.Files.deleteIfExists(p);
    } catch (IOException e) {
      // a leftover in the temp folder is no test failure
    }
  }

  /** Waits for a condition that the system reaches by itself; the assertions come after. */
  public static void await(String what, Duration max, BooleanSupplier condition) {
    long start = System.nanoTime(), deadline = start + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    // how close to its bound each wait came, for reading a slow machine's run
    long waited = (System.nanoTime() - start) / 1_000_000;
    if (waited > 1000) System.out.println("waited " + waited / 1000.0 + " s of " + max.toSeconds() + " s for: " + what);
  }

  /** One of the agent's own figures as the aggregator last received it, or -1 before its first batch. */
  public static long counter(int port, String agentId, String name) {
    JsonObject a = agentStats(port, agentId);
    JsonObject c = a == null ? null : a.getJsonObject("stats").getJsonObject("counters");
    return c == null || c.getLong(name) == null ? -1 : c.getLong(name);
  }

  public static JsonObject agentStats(int port, String agentId) {
    for (Object o : get(port, "/api/agents").getJsonArray("agents")) {
      JsonObject a = (JsonObject) o;
      if (a.getString("agent").equals(agentId)) return a;
    }
    return null;
  }
}
