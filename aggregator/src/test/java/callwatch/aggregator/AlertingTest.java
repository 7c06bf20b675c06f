package callwatch.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Alert notifications through the real path, to a real webhook receiver and a real SMTP server
 * (GreenMail) on 127.0.0.1: one signed delivery and one e-mail per transition (firing,
 * acknowledged, resolved), also when the receiver refuses the first attempts; nothing for a
 * silenced alert.
 */
// mostly waiting on real clocks, on ports of its own: runs beside the other test classes (junit-platform.properties)
@Execution(ExecutionMode.CONCURRENT)
class AlertingTest {
  private static final String SECRET = "alert-agent-1";
  private static final String HOOK_SECRET = "a-webhook-secret-of-some-length";
  @TempDir Path tmp;
  private final List<Runnable> cleanup = new ArrayList<>();

  @AfterEach
  void stop() {
    for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).run();
  }

  static String hmac(String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(HOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  /** The e-mails about one alert (its id is in the text) to one address. */
  private static List<jakarta.mail.internet.MimeMessage> mailsOf(com.icegreen.greenmail.util.GreenMail smtp, String id, String to) {
    List<jakarta.mail.internet.MimeMessage> out = new ArrayList<>();
    smtp.findReceivedMessages(u -> u.getEmail().equalsIgnoreCase(to), m -> com.icegreen.greenmail.util.GreenMailUtil.getWholeMessage(m).contains(id))
        .forEach(out::add);
    return out;
  }

  @Test
  @Timeout(480)
  @DisplayName("a stall, a reminder while nobody acknowledges it, its acknowledgement and its end each reach the webhook and the e-mail"
      + " routes that take them exactly once, signed; a receiver that refuses at first gets it on a retry")
  void webhookOncePerTransition() throws Exception {
    // the receiver: refuses each delivery's first two attempts, records what it accepted
    Vertx receiverVertx = Vertx.vertx();
    cleanup.add(() -> receiverVertx.close().await());
    List<JsonObject> accepted = new CopyOnWriteArrayList<>();
    Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    List<String> badSignatures = new CopyOnWriteArrayList<>();
    HttpServer receiver = receiverVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      String text = body.toString(StandardCharsets.UTF_8);
      String delivery = req.getHeader("X-Callwatch-Delivery");
      try {
        if (!hmac(text).equals(req.getHeader("X-Callwatch-Signature"))) badSignatures.add(delivery);
      } catch (Exception e) {
        badSignatures.add(String.valueOf(e));
      }
      if (attempts.computeIfAbsent(delivery, k -> new AtomicInteger()).incrementAndGet() <= 2) {
        req.response().setStatusCode(503).end();
        return;
      }
      accepted.add(new JsonObject(text));
      req.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1").await();

    // a real SMTP server on 127.0.0.1
    com.icegreen.greenmail.util.GreenMail smtp = new com.icegreen.greenmail.util.GreenMail(
        new com.icegreen.greenmail.util.ServerSetup(5995, "127.0.0.1", com.icegreen.greenmail.util.ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    cleanup.add(smtp::stop);

    AggregatorConfig cfg = TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 5992, List.of(), Map.of("alert-agent", SECRET),
        Map.of("detection", DetectionTest.SHORT_HOLD_DOWN.get("detection"), "alerting", Map.of("webhooks", List.of(Map.of("name", "ops", "url", "http://127.0.0.1:" + receiver.actualPort() + "/hook",
            "secret", HOOK_SECRET, "kinds", List.of("stall"))),
            "renotifyMinutes", 1,
            "email", Map.of("host", "127.0.0.1", "port", 5995, "starttls", "DISABLED", "from", "callwatch@test.invalid",
                "to", List.of("ops@test.invalid"), "kinds", List.of("stall"),
                // by severity: outages to the team lead, degraded stalls (there are none) to the night desk
                "routes", List.of(Map.of("to", List.of("lead@test.invalid"), "severities", List.of("outage")),
                    Map.of("to", List.of("night@test.invalid"), "kinds", List.of("stall"), "severities", List.of("degraded")))))));
    AggregatorNode node = TestNodes.start(cfg);
    cleanup.add(node::closeBlocking);
    WatchedApp app = WatchedApp.start(tmp, "alert-agent", SECRET, node.port());
    cleanup.add(app::close);
    ServiceWriter writer = app.writer;
    Thread.sleep(70_000); // a minute of calls: detection knows the rate of this new installation
    writer.flowing.remove("DPP");
    TestNodes.await("the stall delivered", Duration.ofSeconds(90), () -> accepted.stream().anyMatch(d -> "firing".equals(d.getString("transition"))));
    // the stall firing now (a test machine starved of CPU may have seen the writer pause before)
    JsonObject firing = accepted.stream().filter(d -> "firing".equals(d.getString("transition"))).reduce((x, y) -> y).orElseThrow();
    String id = firing.getJsonObject("alert").getString("id");
    accepted.removeIf(d -> !id.equals(d.getJsonObject("alert").getString("id")));
    assertEquals("stall", firing.getJsonObject("alert").getString("kind"));
    assertEquals("DPP", firing.getJsonObject("alert").getString("service"));
    // nobody acknowledges it for a minute: a reminder
    TestNodes.await("a reminder", Duration.ofSeconds(100), () -> accepted.stream().anyMatch(d -> "reminder-1".equals(d.getString("transition"))));

    var ack = TestNodes.postAs(node.port(), "/api/alerts/" + id + "/ack", TestNodes.OPERATOR, new JsonObject().put("note", "on it"));
    assertEquals(200, ack.statusCode(), ack.body());
    assertEquals(TestNodes.OPERATOR, new JsonObject(ack.body()).getString("acknowledgedBy"));
    var again = TestNodes.postAs(node.port(), "/api/alerts/" + id + "/ack", TestNodes.OPERATOR, new JsonObject().put("note", "twice"));
    assertEquals(409, again.statusCode(), "acknowledged already: " + again.body());
    var partner = TestNodes.postAs(node.port(), "/api/alerts/" + id + "/ack", TestNodes.PARTNER, new JsonObject());
    assertEquals(403, partner.statusCode());
    var tooLong = TestNodes.postAs(node.port(), "/api/alerts/" + id + "/resolve", TestNodes.OPERATOR, new JsonObject().put("note", "x".repeat(1001)));
    assertEquals(400, tooLong.statusCode());
    assertTrue(tooLong.body().contains("the limit is 1000"), tooLong.body());

    writer.flowing.add("DPP");
    TestNodes.await("acknowledged and resolved delivered", Duration.ofSeconds(180), () ->
        accepted.stream().anyMatch(d -> "acknowledged".equals(d.getString("transition")))
            && accepted.stream().anyMatch(d -> "resolved".equals(d.getString("transition"))));
    Thread.sleep(5000); // anything sent twice would have come by now
    List<String> order = List.of("firing", "reminder-1", "acknowledged", "resolved");
    assertEquals(order, accepted.stream().map(d -> d.getString("transition")).sorted(java.util.Comparator.comparing(order::indexOf)).toList(),
        "exactly one delivery per transition, and no reminder once acknowledged");
    assertTrue(badSignatures.isEmpty(), "every delivery signed with the secret: " + badSignatures);
    assertTrue(attempts.values().stream().allMatch(n -> n.get() == 3), "two refused attempts, then one accepted: " + attempts);
    JsonObject stored = new JsonObject(TestNodes.getAs(node.port(), "/api/alerts?state=resolved", TestNodes.OPERATOR).body())
        .getJsonArray("alerts").getJsonObject(0);
    assertEquals(List.of("firing", "acknowledged", "resolved"),
        stored.getJsonArray("transitions").stream().map(t -> ((JsonObject) t).getString("state")).toList(), "every transition kept");

    // the same transitions by e-mail, once each to each route that takes them; the first with the graph inlined
    TestNodes.await("four e-mails to each route", Duration.ofSeconds(30),
        () -> mailsOf(smtp, id, "ops@test.invalid").size() >= 4 && mailsOf(smtp, id, "lead@test.invalid").size() >= 4);
    var mails = mailsOf(smtp, id, "ops@test.invalid").toArray(new jakarta.mail.internet.MimeMessage[0]);
    assertEquals(4, mails.length, "one e-mail per transition");
    List<String> subjects = new ArrayList<>();
    for (var m : mails) subjects.add(m.getSubject());
    assertTrue(subjects.contains("[callwatch] FIRING stall DPP") && subjects.contains("[callwatch] ACKNOWLEDGED stall DPP")
        && subjects.contains("[callwatch] RESOLVED stall DPP") && subjects.contains("[callwatch] REMINDER-1 stall DPP"), subjects.toString());
    assertEquals(4, mailsOf(smtp, id, "lead@test.invalid").size(), "the outage route: the same four");
    assertEquals(0, mailsOf(smtp, id, "night@test.invalid").size(), "the route of degraded stalls takes none");
    var firingMail = java.util.Arrays.stream(mails).filter(m -> {
      try {
        return m.getSubject().contains("FIRING");
      } catch (Exception e) {
        return false;
      }
    }).findFirst().orElseThrow();
    String raw = com.icegreen.greenmail.util.GreenMailUtil.getWholeMessage(firingMail);
    assertTrue(raw.contains("text/plain") && raw.contains("text/html") && raw.contains("image/png") && raw.contains("<graph>"),
        "plain text, HTML and the graph inlined");
    assertTrue(raw.contains("no DPP call for"), "the reason in the mail");

    // a silence: the next stall of DPP is recorded, not sent
    var everything = TestNodes.postAs(node.port(), "/api/silences", TestNodes.OPERATOR, new JsonObject().put("to", Instant.now().getEpochSecond() + 600));
    assertEquals(400, everything.statusCode(), "a silence of everything is refused: " + everything.body());
    var silence = TestNodes.postAs(node.port(), "/api/silences", TestNodes.OPERATOR, new JsonObject()
        .put("services", new JsonArray().add("DPP")).put("to", Instant.now().getEpochSecond() + 600).put("note", "planned restart"));
    assertEquals(201, silence.statusCode(), silence.body());
    String silenceId = new JsonObject(silence.body()).getString("id");
    assertEquals(1, new JsonObject(TestNodes.getAs(node.port(), "/api/silences", TestNodes.PARTNER).body()).getJsonArray("silences").size());
    int delivered = accepted.size();
    int mailsBefore = smtp.getReceivedMessages().length;
    writer.flowing.remove("DPP");
    TestNodes.await("the silenced stall recorded", Duration.ofSeconds(60), () -> {
      var firingNow = new JsonObject(TestNodes.getAs(node.port(), "/api/alerts?state=firing", TestNodes.OPERATOR).body()).getJsonArray("alerts");
      return firingNow.stream().anyMatch(x -> silenceId.equals(((JsonObject) x).getString("silencedBy")));
    });
    Thread.sleep(10_000);
    assertEquals(delivered, accepted.size(), "nothing sent for a silenced alert: " + accepted.subList(delivered, accepted.size()));
    assertEquals(mailsBefore, smtp.getReceivedMessages().length, "no e-mail for a silenced alert");
    var end = TestNodes.postAs(node.port(), "/api/silences/" + silenceId + "/end", TestNodes.OPERATOR, new JsonObject());
    assertEquals(200, end.statusCode(), end.body());
    assertEquals(0, new JsonObject(TestNodes.getAs(node.port(), "/api/silences", TestNodes.OPERATOR).body()).getJsonArray("silences").size());
  }
}
