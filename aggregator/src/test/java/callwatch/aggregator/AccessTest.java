package callwatch.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.aggregator.auth.Role;
import callwatch.aggregator.web.AccessRules;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Who may reach what: every route has a rule, the rules hold for every role, partners never see a pharmacy. */
class AccessTest {
  private static final String SECRET = "access-secret-1";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Map<Role, String> USERS = Map.of(Role.PARTNER, TestNodes.PARTNER, Role.OPERATOR, TestNodes.OPERATOR,
      Role.ADMIN, TestNodes.ADMIN);
  private final Cleanup cleanup = new Cleanup();
  @TempDir Path tmp;
  private AggregatorNode node;

  @BeforeEach
  void start() {
    node = TestNodes.start(TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 5841, List.of(), Map.of("agent-a", SECRET)));
    cleanup.add(node::closeBlocking);
  }

  @AfterEach
  void stop() {
    cleanup.runAll();
  }

  /** Every path the router serves: its own paths, and each file the static handlers serve. */
  private List<String[]> served() throws Exception {
    List<String[]> out = new ArrayList<>();
    for (var route : node.router().getRoutes()) {
      String path = route.getPath();
      if (path == null) continue; // handlers for every request (headers, body, access control)
      var methods = route.methods() == null || route.methods().isEmpty() ? java.util.Set.of(io.vertx.core.http.HttpMethod.GET) : route.methods();
      for (var m : methods) {
        if (path.equals("/*")) {
          try (Stream<Path> files = Files.list(Path.of("src/main/resources/webroot"))) {
            for (Path f : (Iterable<Path>) files::iterator) out.add(new String[] {"GET", "/" + f.getFileName()});
          }
          out.add(new String[] {"GET", "/"});
        } else {
          out.add(new String[] {m.name(), path.replace(":name", "DPP.calls").replace("*", "uplot/1.6.30/dist/uPlot.min.css")});
        }
      }
    }
    return out;
  }

  @Test
  @Timeout(120)
  @DisplayName("every route and page has a rule, the table in docs/access.md is the rules, and each role gets exactly what its rule says")
  void everyRouteHasARuleThatHolds() throws Exception {
    StringBuilder table = new StringBuilder("| method | path | least role | what |\n| --- | --- | --- | --- |\n");
    for (AccessRules.Rule r : AccessRules.RULES) {
      table.append("| ").append(r.method()).append(" | `").append(r.path()).append("` | ").append(r.role().id()).append(" | ")
          .append(r.what()).append(" |\n");
    }
    String doc = Files.readString(Path.of("..", "docs", "access.md"));
    Files.writeString(Path.of("target", "access-table.md"), table);
    assertTrue(doc.contains(table), "docs/access.md must hold the rules' table (written to target/access-table.md)");
    TreeSet<String> missing = new TreeSet<>();
    for (String[] s : served()) {
      AccessRules.Rule rule = AccessRules.find(s[0], s[1]);
      if (rule == null) {
        missing.add(s[0] + " " + s[1]);
        continue;
      }
      if (s[1].equals("/agent") || s[1].equals("/live") || !s[0].equals("GET")) continue; // WebSockets and POSTs: below
      if (s[1].equals("/api/me")) { // open to all, and says 401 to nobody in particular
        assertEquals(401, TestNodes.getAs(node.port(), s[1], null).statusCode());
        assertEquals(200, TestNodes.getAs(node.port(), s[1], TestNodes.PARTNER).statusCode());
        continue;
      }
      for (Role role : Role.values()) {
        HttpResponse<String> r = TestNodes.getAs(node.port(), s[1], role == Role.ANONYMOUS ? null : USERS.get(role));
        boolean allowed = role.atLeast(rule.role());
        int code = r.statusCode();
        if (allowed) {
          assertTrue(code != 401 && code != 403 && code != 302, role.id() + " GET " + s[1] + " is allowed, got " + code);
        } else if (role == Role.ANONYMOUS) {
          assertTrue(code == 401 || (code == 302 && r.headers().firstValue("location").orElse("").startsWith("/login.html")),
              "anonymous GET " + s[1] + ": 401 or the login page, got " + code);
        } else {
          assertEquals(403, code, role.id() + " GET " + s[1]);
        }
      }
    }
    assertEquals(new TreeSet<>(), missing, "routes without an access rule");
    assertEquals(404, TestNodes.getAs(node.port(), "/no-such-thing", TestNodes.ADMIN).statusCode(), "a path without a rule is refused");
  }

  @Test
  @Timeout(120)
  @DisplayName("an agent's credential reads nothing; a wrong password five times slows the next try, even with the right one")
  void agentReadsNothingAndGuessingIsSlowed() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/api/series"))
        .header("authorization", "Bearer agent-a:" + SECRET).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, r.statusCode());
    for (int i = 0; i < 5; i++) assertEquals(null, TestNodes.login(node.port(), TestNodes.OPERATOR, "wrong-password-" + i));
    HttpResponse<String> slowed = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/api/login"))
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("user", TestNodes.OPERATOR).put("password", TestNodes.PASSWORD).encode()))
        .header("content-type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(429, slowed.statusCode(), slowed.body());
    assertTrue(slowed.headers().firstValue("retry-after").isPresent());
  }

  @Test
  @Timeout(120)
  @DisplayName("a removed account, or one given another role or password, is logged out at once: its requests get 401 and its open /live page is closed")
  void changedAccountsEndTheirSessions() throws Exception {
    callwatch.aggregator.auth.UserFile users = new callwatch.aggregator.auth.UserFile(tmp.resolve("agg").resolve("users.json"));
    String operator = TestNodes.login(node.port(), TestNodes.OPERATOR, TestNodes.PASSWORD);
    String partner = TestNodes.login(node.port(), TestNodes.PARTNER, TestNodes.PASSWORD);
    String admin = TestNodes.login(node.port(), TestNodes.ADMIN, TestNodes.PASSWORD);
    Vertx vertx = Vertx.vertx();
    cleanup.add(() -> vertx.close().await());
    var client = vertx.createWebSocketClient();
    var wallboard = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port()).setURI("/live")
        .addHeader("cookie", operator).addHeader("origin", "http://127.0.0.1:" + node.port())).await();
    java.util.concurrent.CompletableFuture<Short> closed = new java.util.concurrent.CompletableFuture<>();
    wallboard.closeHandler(v -> closed.complete(wallboard.closeStatusCode()));
    assertEquals(200, status(operator, "/api/agents"));

    users.removeBlocking(TestNodes.OPERATOR); // the operator left the team
    TestNodes.await("the removed operator's requests are refused", Duration.ofSeconds(30), () -> status(operator, "/api/agents") == 401);
    assertEquals((short) 4401, closed.get(30, java.util.concurrent.TimeUnit.SECONDS), "the open wallboard is closed");

    var p = users.usersBlocking().get(TestNodes.PARTNER); // a partner made operator logs in again for the new role
    users.putBlocking(new callwatch.aggregator.auth.UserFile.User(TestNodes.PARTNER, Role.OPERATOR, p.hash()));
    TestNodes.await("the partner's old session ends", Duration.ofSeconds(30), () -> status(partner, "/api/series") == 401);
    assertEquals(200, status(TestNodes.login(node.port(), TestNodes.PARTNER, TestNodes.PASSWORD), "/api/agents"), "with the new role");

    users.putBlocking(new callwatch.aggregator.auth.UserFile.User(TestNodes.ADMIN, Role.ADMIN,
        callwatch.aggregator.auth.PasswordHash.hash("a-new-password-456"))); // a password changed after a leak
    TestNodes.await("the sessions made with the old password end", Duration.ofSeconds(30), () -> status(admin, "/api/series") == 401);
    assertEquals(null, TestNodes.login(node.port(), TestNodes.ADMIN, TestNodes.PASSWORD));
    assertEquals(200, status(TestNodes.login(node.port(), TestNodes.ADMIN, "a-new-password-456"), "/api/series"));
  }

  @Test
  @Timeout(120)
  @DisplayName("the tiles a partner's /live gets name no server and no agent; an operator's do")
  void partnersTilesNameNoServer() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(() -> vertx.close().await());
    var client = vertx.createWebSocketClient();
    Map<String, java.util.concurrent.LinkedBlockingQueue<JsonObject>> tiles = new java.util.HashMap<>();
    for (String user : List.of(TestNodes.OPERATOR, TestNodes.PARTNER)) {
      var got = new java.util.concurrent.LinkedBlockingQueue<JsonObject>();
      tiles.put(user, got);
      var ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port()).setURI("/live")
          .addHeader("cookie", TestNodes.login(node.port(), user, TestNodes.PASSWORD))
          .addHeader("origin", "http://127.0.0.1:" + node.port())).await();
      ws.textMessageHandler(t -> {
        JsonObject m = new JsonObject(t);
        if ("tiles".equals(m.getString("type")) && m.encode().contains("silent-host")) got.add(m);
      });
    }
    // what detection publishes when one DPP server takes no call while its peers go on
    node.vertx().eventBus().publish(callwatch.aggregator.watch.DetectionService.TILES, new JsonObject().put("at", System.currentTimeMillis())
        .put("tiles", new io.vertx.core.json.JsonArray().add(new JsonObject().put("service", "DPP").put("state", "degraded")
            .put("kind", "silent-host").put("reason", "no DPP call on dpp-srv-03 for 40 s while its peers go on")
            .put("sharedReason", "one server of the service takes no calls while the others do"))));
    String operator = tiles.get(TestNodes.OPERATOR).poll(30, java.util.concurrent.TimeUnit.SECONDS).encode();
    String partner = tiles.get(TestNodes.PARTNER).poll(30, java.util.concurrent.TimeUnit.SECONDS).encode();
    assertTrue(operator.contains("dpp-srv-03"), operator);
    assertFalse(partner.contains("dpp-srv-03"), "a partner reads the server's name: " + partner);
    assertTrue(partner.contains("one server of the service takes no calls"), partner);
  }

  @Test
  @Timeout(120)
  @DisplayName("partners get the series of services and ops, never a server's or an agent's: no host listed, host= and agent= refused")
  void partnersSeriesNameNoServer() throws Exception {
    Vertx vertx = Vertx.vertx();
    cleanup.add(() -> vertx.close().await());
    long slot = RawAgent.currentSlot() - 60;
    try (RawAgent a = new RawAgent(vertx, node.port(), "agent-a", SECRET)) {
      a.hello("agent-a", "e1", 1);
      a.send(RawAgent.batch(1, slot, slot + 10, "DPP", "read", 5).encode()); // its rows come from host h1
      assertEquals("ack", a.next().getString("type"));
    }
    TestNodes.await("the source is written", Duration.ofSeconds(60), () -> node.writer().writtenUpTo("agent-a") >= slot + 10);
    String range = "from=" + (slot - 60) + "&to=" + (slot + 60);
    var operatorList = new JsonObject(TestNodes.getAs(node.port(), "/api/series", TestNodes.OPERATOR).body());
    assertTrue(operatorList.getJsonArray("hosts").contains("h1"), operatorList.encode());
    var partnerList = new JsonObject(TestNodes.getAs(node.port(), "/api/series", TestNodes.PARTNER).body());
    assertEquals(new io.vertx.core.json.JsonArray(), partnerList.getJsonArray("hosts"), "a partner is told the servers: " + partnerList.encode());
    assertEquals(operatorList.getJsonArray("series"), partnerList.getJsonArray("series"), "the same services and ops");
    for (String narrow : List.of("host=h1", "agent=agent-a", "host=nosuch")) {
      var operator = TestNodes.getAs(node.port(), "/api/series/DPP.calls?" + range + "&" + narrow, TestNodes.OPERATOR);
      assertEquals(narrow.equals("host=nosuch") ? 404 : 200, operator.statusCode(), operator.body());
      var partner = TestNodes.getAs(node.port(), "/api/series/DPP.calls?" + range + "&" + narrow, TestNodes.PARTNER);
      assertEquals(403, partner.statusCode(), narrow + ": " + partner.body());
      assertFalse(partner.body().contains("\"h1\""), partner.body());
      var png = TestNodes.getAs(node.port(), "/graph.png?s=DPP&" + range + "&" + narrow, TestNodes.PARTNER);
      assertEquals(403, png.statusCode(), "graph.png " + narrow);
    }
    assertEquals(200, TestNodes.getAs(node.port(), "/api/series/DPP.calls?" + range, TestNodes.PARTNER).statusCode());
  }

  @Test
  @Timeout(120)
  @DisplayName("a partner reads when and what is silenced, not the servers nor the operator's note")
  void partnersSilencesNameNoServerNorNote() {
    long now = System.currentTimeMillis() / 1000;
    var made = TestNodes.postAs(node.port(), "/api/silences", TestNodes.OPERATOR, new JsonObject()
        .put("services", new io.vertx.core.json.JsonArray().add("DPP")).put("hosts", new io.vertx.core.json.JsonArray().add("dpp-srv-03"))
        .put("to", now + 600).put("note", "pharmacy 471234 restarts its software tonight"));
    assertEquals(201, made.statusCode(), made.body());
    String operator = TestNodes.getAs(node.port(), "/api/silences", TestNodes.OPERATOR).body();
    assertTrue(operator.contains("dpp-srv-03") && operator.contains("471234"), operator);
    String partner = TestNodes.getAs(node.port(), "/api/silences", TestNodes.PARTNER).body();
    assertTrue(partner.contains("DPP"), "a partner sees that DPP is silenced: " + partner);
    assertFalse(partner.contains("dpp-srv-03") || partner.contains("471234"), "a partner reads the servers or the note: " + partner);
  }

  private int status(String cookie, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path)).header("cookie", cookie).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  @Timeout(120)
  @DisplayName("a name without an account is refused; logging out needs the CSRF token; /live refuses another origin; a partner's drill-down has no pharmacy and no host")
  void csrfOriginAndPartner() throws Exception {
    assertEquals(null, TestNodes.login(node.port(), "nobody-by-this-name", TestNodes.PASSWORD), "a name without an account gets no session");
    String cookie = TestNodes.login(node.port(), TestNodes.OPERATOR, TestNodes.PASSWORD);
    HttpResponse<String> noToken = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/api/logout"))
        .POST(HttpRequest.BodyPublishers.noBody()).header("cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(403, noToken.statusCode(), noToken.body());
    String csrf = new JsonObject(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/api/me"))
        .header("cookie", cookie).build(), HttpResponse.BodyHandlers.ofString()).body()).getString("csrf");
    HttpResponse<String> out = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/api/logout"))
        .POST(HttpRequest.BodyPublishers.noBody()).header("cookie", cookie).header("X-CSRF-Token", csrf).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, out.statusCode(), out.body());
    assertEquals(401, HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/api/series"))
        .header("cookie", cookie).build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "the session ended");

    Vertx vertx = Vertx.vertx();
    cleanup.add(() -> vertx.close().await());
    String partner = TestNodes.login(node.port(), TestNodes.PARTNER, TestNodes.PASSWORD);
    var client = vertx.createWebSocketClient();
    Throwable crossOrigin = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port()).setURI("/live")
        .addHeader("cookie", partner).addHeader("origin", "http://evil.example")).toCompletionStage().toCompletableFuture()
        .handle((ws, err) -> err).get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertNotNull(crossOrigin, "a page of another site cannot open /live with the user's cookie");
    var same = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port()).setURI("/live")
        .addHeader("cookie", partner).addHeader("origin", "http://127.0.0.1:" + node.port())).await();
    java.util.concurrent.LinkedBlockingQueue<String> pushed = new java.util.concurrent.LinkedBlockingQueue<>();
    same.textMessageHandler(pushed::add);

    // a partner's drill-down: vendors, versions and codes; no pharmacy, no host
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    w.write(200, System.currentTimeMillis() - 120_000);
    var agent = TestNodes.startAgent(TestNodes.agentJson("agent-a", SECRET, tmp.resolve("agent"), node.port(),
        new io.vertx.core.json.JsonArray().add(new JsonObject().put("glob", logs + "/app.log*").put("format", "app"))));
    cleanup.add(() -> agent.close().await());
    String drill = "/api/drilldown?from=-10m";
    TestNodes.await("the operator sees the pharmacies", Duration.ofSeconds(60),
        () -> !TestNodes.get(node.port(), drill).getJsonArray("topByCalls").isEmpty());
    HttpResponse<String> p = TestNodes.getAs(node.port(), drill, TestNodes.PARTNER);
    assertEquals(200, p.statusCode());
    JsonObject pj = new JsonObject(p.body());
    assertTrue(!pj.containsKey("topByCalls") && !pj.containsKey("topByErrors") && !pj.containsKey("topByE401") && !pj.containsKey("hosts"), p.body());
    assertTrue(!p.body().contains("\"pharmacy\"") && !p.body().contains("web-1"), p.body());
    assertTrue(!pj.getJsonArray("vendors").isEmpty(), "the partner gets the vendors");
    // what /live pushes to the partner: slot totals per service, no pharmacy
    w.write(50, System.currentTimeMillis());
    String message = pushed.poll(60, java.util.concurrent.TimeUnit.SECONDS);
    assertNotNull(message, "the partner's /live gets the slot totals");
    assertTrue(!message.contains("pharmac") && !message.contains("\"10") , message);
    same.close();
    // and the PNG is drawn from service totals only
    HttpResponse<String> png = TestNodes.getAs(node.port(), "/graph.png?s=*.calls&range=1h", TestNodes.PARTNER);
    assertEquals(200, png.statusCode());
  }
}
