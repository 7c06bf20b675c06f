package callwatch.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the write routes do with a field of the wrong type: each request is otherwise valid, so a
 * 400 that names the field is the only right answer. Never a 5xx, and never a number taken as a
 * title or a string as a flag.
 */
class RequestBodyTest {
  private final Cleanup cleanup = new Cleanup();
  @TempDir Path tmp;

  @AfterEach
  void stop() {
    cleanup.runAll();
  }

  /** Values of each JSON type but the field's own. */
  private static final Object[] NOT_TEXT = {5, 1.5, true, new JsonObject(), new JsonArray()};
  private static final Object[] NOT_NAMES = {"DPP", 5, true, new JsonObject(), new JsonArray().add(5), new JsonArray().add(new JsonObject()),
      new JsonArray().add("")};
  private static final Object[] NOT_FLAG = {"yes", 1, new JsonObject(), new JsonArray()};
  private static final Object[] NOT_WHOLE = {"abc", "1", 1.5, true, new JsonObject(), new JsonArray()};
  private static final Object[] NOT_OBJECT = {"x", 5, true, new JsonArray()};

  private record Case(String path, JsonObject valid, String field, Object[] wrong) {}

  /** A cluster of one on loopback, stopped after the test; {@code agents}: agent id to secret. */
  private AggregatorNode start(Map<String, String> agents) {
    AggregatorNode node = TestNodes.start(TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 5843, List.of(), agents));
    cleanup.add(node::closeBlocking);
    return node;
  }

  @Test
  @Timeout(120)
  @DisplayName("a field of the wrong type in an incident, a journal entry, a silence or an alert note is a 400 naming the field")
  void wrongTypesAreRefusedByName() {
    AggregatorNode node = start(Map.of());
    int port = node.port();
    var opened = TestNodes.postAs(port, "/api/incidents", TestNodes.OPERATOR,
        new JsonObject().put("title", "RECIPE slow").put("services", new JsonArray().add("RECIPE")));
    assertEquals(201, opened.statusCode(), opened.body());
    String entries = "/api/incidents/" + new JsonObject(opened.body()).getString("id") + "/entries";
    long inAnHour = System.currentTimeMillis() / 1000 + 3600;
    JsonObject incident = new JsonObject().put("title", "DPP down").put("services", new JsonArray().add("DPP"));
    JsonObject note = new JsonObject().put("kind", "note").put("text", "looked at app07");
    JsonObject publicEntry = new JsonObject().put("kind", "public").put("state", "major_outage").put("message", new JsonObject().put("en", "down"));
    JsonObject silence = new JsonObject().put("services", new JsonArray().add("DPP")).put("to", inAnHour);
    List<Case> cases = List.of(
        new Case("/api/incidents", incident, "title", NOT_TEXT),
        new Case("/api/incidents", incident, "services", NOT_NAMES),
        new Case("/api/incidents", incident, "alert", NOT_TEXT),
        new Case(entries, note, "kind", NOT_TEXT),
        new Case(entries, note, "text", NOT_TEXT),
        new Case(entries, note, "internal", NOT_FLAG),
        new Case(entries, note, "supersedes", NOT_WHOLE),
        new Case(entries, publicEntry, "state", NOT_TEXT),
        new Case(entries, publicEntry, "message", NOT_OBJECT),
        new Case(entries, publicEntry.copy().put("message", new JsonObject().put("fr", 5)), "message", new Object[] {new JsonObject().put("fr", 5)}),
        new Case("/api/silences", silence, "services", NOT_NAMES),
        new Case("/api/silences", silence, "from", NOT_WHOLE),
        new Case("/api/silences", silence, "to", NOT_WHOLE),
        new Case("/api/silences", silence, "note", NOT_TEXT),
        new Case("/api/alerts/no-such-alert/ack", new JsonObject().put("note", "on it"), "note", NOT_TEXT));
    List<String> wrong = new ArrayList<>();
    for (Case c : cases) {
      for (Object value : c.wrong()) {
        var r = TestNodes.postAs(port, c.path(), TestNodes.OPERATOR, c.valid().copy().put(c.field(), value));
        String error = r.statusCode() == 400 ? new JsonObject(r.body()).getString("error", "") : "";
        if (r.statusCode() != 400 || !error.contains(c.field())) {
          String body = r.body().length() > 120 ? r.body().substring(0, 120) + "…" : r.body();
          wrong.add(c.path() + " " + c.field() + "=" + value + ": " + r.statusCode() + " " + body);
        }
      }
    }
    assertTrue(wrong.isEmpty(), wrong.size() + " answers were not a 400 naming the field:\n" + String.join("\n", wrong));
    // the valid bodies themselves are taken: the refusals above were the fields' doing
    assertEquals(201, TestNodes.postAs(port, "/api/incidents", TestNodes.OPERATOR, incident).statusCode());
    assertEquals(201, TestNodes.postAs(port, entries, TestNodes.OPERATOR, note).statusCode());
    assertEquals(201, TestNodes.postAs(port, entries, TestNodes.OPERATOR, publicEntry).statusCode());
    assertEquals(201, TestNodes.postAs(port, "/api/silences", TestNodes.OPERATOR, silence).statusCode());
    assertEquals(404, TestNodes.postAs(port, "/api/alerts/no-such-alert/ack", TestNodes.OPERATOR, new JsonObject().put("note", "on it")).statusCode());
  }

  @Test
  @Timeout(60)
  @DisplayName("a silence of a kind of alert that does not exist, or of more than a month counted from its start, is a 400 with the reason")
  void silenceThatWouldSilenceNothingOrTooLongIsRefused() {
    AggregatorNode node = start(Map.of());
    long now = System.currentTimeMillis() / 1000;
    // a typo would silence nothing while the operator believes the evening's stalls silenced
    var typo = TestNodes.postAs(node.port(), "/api/silences", TestNodes.OPERATOR,
        new JsonObject().put("kinds", new JsonArray().add("stal")).put("to", now + 3600));
    assertEquals(400, typo.statusCode(), typo.body());
    assertTrue(typo.body().contains("stal") && typo.body().contains("silent-host"), "names the kind and those that exist: " + typo.body());
    // counted from its start, not only from now (a start at the beginning of time overflowed the check)
    for (long from : new long[] {Long.MIN_VALUE, now - 40 * 86400L}) {
      var endless = TestNodes.postAs(node.port(), "/api/silences", TestNodes.OPERATOR,
          new JsonObject().put("services", new JsonArray().add("DPP")).put("from", from).put("to", now + 60));
      assertEquals(400, endless.statusCode(), "from " + from + ": " + endless.body());
      assertTrue(endless.body().contains("31 days"), endless.body());
    }
    var kinds = TestNodes.postAs(node.port(), "/api/silences", TestNodes.OPERATOR,
        new JsonObject().put("kinds", new JsonArray().add("stall").add("silent-host")).put("to", now + 3600));
    assertEquals(201, kinds.statusCode(), "kinds that exist are taken: " + kinds.body());
  }

  @Test
  @Timeout(90)
  @DisplayName("an incident or a silence naming a service callwatch has never seen (a typo) is a 400 naming the services it knows: the public page would have shown it for 90 days, the silence silenced nothing")
  void incidentOfAnUnknownServiceIsRefused() {
    AggregatorNode node = start(Map.of("known-agent", "known-agent-secret-1"));
    io.vertx.core.Vertx clients = io.vertx.core.Vertx.vertx();
    cleanup.add(() -> clients.close().await());
    RawAgent agent = new RawAgent(clients, node.port(), "known-agent", "known-agent-secret-1");
    cleanup.add(agent::close);
    agent.hello("known-agent", "e1", 0);
    long slot = RawAgent.currentSlot() - 60;
    agent.send(RawAgent.batch(1, slot, slot + 10, "RECIPE", "get", 5).encode());
    assertEquals(1L, agent.next().getLong("seq"));
    JsonObject typo = new JsonObject().put("title", "RECIPE down").put("services", new JsonArray().add("RECIPEE"));
    TestNodes.await("RECIPE is written, so known", java.time.Duration.ofSeconds(30),
        () -> TestNodes.postAs(node.port(), "/api/incidents", TestNodes.OPERATOR, typo).statusCode() == 400);
    var refused = TestNodes.postAs(node.port(), "/api/incidents", TestNodes.OPERATOR, typo);
    assertTrue(refused.body().contains("RECIPEE") && refused.body().contains("RECIPE"), "names the typo and the services known: " + refused.body());
    var right = TestNodes.postAs(node.port(), "/api/incidents", TestNodes.OPERATOR, typo.copy().put("services", new JsonArray().add("RECIPE")));
    assertEquals(201, right.statusCode(), right.body());
    // a silence of it would silence nothing
    var silence = TestNodes.postAs(node.port(), "/api/silences", TestNodes.OPERATOR,
        new JsonObject().put("services", new JsonArray().add("RECIPEE")).put("to", System.currentTimeMillis() / 1000 + 3600));
    assertEquals(400, silence.statusCode(), silence.body());
    assertTrue(silence.body().contains("'RECIPEE'") && silence.body().contains("knows RECIPE"), silence.body());
    var status = TestNodes.getAnonymous(node.port(), "/status.json", "Accept", "application/json");
    assertFalse(status.body().contains("RECIPEE"), "the public page names no such service: " + status.body());
  }

  @Test
  @Timeout(60)
  @DisplayName("a file sent in a multipart form, without logging in, is not written to the member's disk")
  void uploadedFilesAreNotKept() throws Exception {
    AggregatorNode node = start(Map.of());
    // Vert.x's body handler stores uploads under ./file-uploads of the working directory by default, and keeps them
    Path uploads = Path.of(io.vertx.ext.web.handler.BodyHandler.DEFAULT_UPLOADS_DIRECTORY).toAbsolutePath();
    List<Path> before = files(uploads);
    String boundary = "cw-test-boundary";
    String form = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\nx\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"password\"; filename=\"fill-the-disk.txt\"\r\n"
        + "Content-Type: text/plain\r\n\r\nthe member's disk is not a drop box\r\n--" + boundary + "--\r\n";
    var client = java.net.http.HttpClient.newHttpClient();
    for (String path : new String[] {"/api/login", "/api/incidents"}) {
      var r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + node.port() + path))
          .header("content-type", "multipart/form-data; boundary=" + boundary)
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, path + ": " + r.statusCode() + " " + r.body());
    }
    assertEquals(before, files(uploads), "no file kept in " + uploads);
  }

  private static List<Path> files(Path dir) throws java.io.IOException {
    if (!java.nio.file.Files.isDirectory(dir)) return List.of();
    try (var s = java.nio.file.Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  @Timeout(60)
  @DisplayName("a body over the limit is a 413 that says the limit")
  void bodyOverTheLimitSaysTheLimit() {
    AggregatorNode node = start(Map.of());
    String text = "x".repeat(5000);
    for (String path : new String[] {"/api/incidents", "/api/silences", "/api/alerts/some-alert/ack"}) {
      var r = TestNodes.postAs(node.port(), path, TestNodes.OPERATOR, new JsonObject().put("title", text).put("note", text));
      assertEquals(413, r.statusCode(), path + ": " + r.body());
      String error = new JsonObject(r.body()).getString("error", "");
      assertTrue(error.contains("4096"), path + ": " + error);
    }
  }
}
