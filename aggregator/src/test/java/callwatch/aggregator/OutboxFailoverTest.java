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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Three aggregator members as separate processes, a webhook receiver and an SMTP server: the member
 * sending a notification is killed with SIGKILL while the receiver holds its request, and the
 * receiver is down for a minute later on. Each transition must arrive exactly once on each channel.
 */
// mostly waiting on real clocks, on ports of its own: runs beside the other test classes (junit-platform.properties)
@Execution(ExecutionMode.CONCURRENT)
class OutboxFailoverTest {
  private static final String SECRET = "outbox-agent-1";
  private final List<Runnable> cleanup = new ArrayList<>();
  @TempDir Path tmp;

  @AfterEach
  void stop() {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      try {
        cleanup.get(i).run();
      } catch (RuntimeException e) {
        // the others still stop
      }
    }
  }

  @Test
  @Timeout(600)
  @DisplayName("three members: the sending member killed halfway through a webhook, the receiver down for a minute:"
      + " one webhook and one e-mail per transition, none lost, none twice; a silenced alert is recorded and sent by none")
  void exactlyOnceThroughAKillAndAnOutage() throws Exception {
    // the receiver: holds the very first request without answering (the test kills its sender meanwhile),
    // answers 204 to the rest, and can be stopped and started again on its port
    int hookPort = AggregatorProcess.freePort();
    Vertx receiverVertx = Vertx.vertx();
    cleanup.add(() -> receiverVertx.close().await());
    List<JsonObject> accepted = new CopyOnWriteArrayList<>();
    Map<String, Integer> attempts = new ConcurrentHashMap<>();
    AtomicReference<String> heldSender = new AtomicReference<>();
    AtomicBoolean holding = new AtomicBoolean(true);
    java.util.function.Supplier<HttpServer> receiver = () -> receiverVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      attempts.merge(req.getHeader("X-Callwatch-Delivery"), 1, Integer::sum);
      JsonObject delivery = new JsonObject(b.toString(StandardCharsets.UTF_8));
      // DPP's stall is the one the test makes (a machine starved of CPU may see others)
      boolean dpp = "DPP".equals(delivery.getJsonObject("alert").getString("service"));
      if (dpp && holding.compareAndSet(true, false)) {
        heldSender.set(req.getHeader("X-Callwatch-Sender")); // no answer: the sender dies waiting for it
        return;
      }
      if (dpp) accepted.add(delivery);
      req.response().setStatusCode(204).end();
    })).listen(hookPort, "127.0.0.1").await();
    AtomicReference<HttpServer> hook = new AtomicReference<>(receiver.get());

    int smtpPort = AggregatorProcess.freePort();
    com.icegreen.greenmail.util.GreenMail smtp = new com.icegreen.greenmail.util.GreenMail(
        new com.icegreen.greenmail.util.ServerSetup(smtpPort, "127.0.0.1", com.icegreen.greenmail.util.ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    cleanup.add(smtp::stop);

    String cluster = TestNodes.uniqueClusterName();
    int[] clusterPorts = {5996, 5997, 5998};
    JsonArray members = new JsonArray();
    for (int p : clusterPorts) members.add("127.0.0.1:" + p);
    JsonObject alerting = new JsonObject()
        .put("renotifyMinutes", 0)
        .put("webhooks", new JsonArray().add(new JsonObject().put("name", "ops").put("url", "http://127.0.0.1:" + hookPort + "/hook")
            .put("secret", "a-webhook-secret-of-some-length").put("kinds", new JsonArray().add("stall"))))
        .put("email", new JsonObject().put("host", "127.0.0.1").put("port", smtpPort).put("starttls", "DISABLED")
            .put("from", "callwatch@test.invalid").put("to", new JsonArray().add("ops@test.invalid")).put("kinds", new JsonArray().add("stall")));
    AggregatorProcess[] m = new AggregatorProcess[3];
    for (int i = 0; i < 3; i++) {
      JsonObject c = new JsonObject().put("dataDir", tmp.resolve("agg-" + i).toString()).put("agents", new JsonObject().put("outbox-agent", SECRET))
          .put("cluster", new JsonObject().put("name", cluster).put("port", clusterPorts[i]).put("members", members))
          .put("alerting", alerting).put("detection", new JsonObject().put("holdDownSeconds", 10)); // DetectorTest has the hold-down
      m[i] = new AggregatorProcess(tmp.resolve("agg-" + i), c);
      AggregatorProcess p = m[i];
      int member = i;
      cleanup.add(() -> {
        try {
          if (p.alive()) p.kill();
          // kept for reading after the run: what each member said
          java.nio.file.Files.writeString(java.nio.file.Path.of("target", "outbox-failover-member-" + member + ".log"), p.output());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (java.io.IOException e) {
          // the log is a help, not a result
        }
      });
      m[i].start();
    }
    for (AggregatorProcess p : m) TestNodes.await("member up", Duration.ofSeconds(90), p::healthy);
    WatchedApp app = WatchedApp.start(tmp, "outbox-agent", SECRET, m[0].httpPort(), m[1].httpPort(), m[2].httpPort());
    cleanup.add(app::close);
    Thread.sleep(70_000); // a minute of calls: detection knows the rate of this new installation
    app.writer.flowing.remove("DPP");

    // the first delivery reaches the receiver, which holds it; its sender is killed
    TestNodes.await("the stall's first delivery held", Duration.ofSeconds(90), () -> heldSender.get() != null);
    AggregatorProcess sender = null;
    for (int i = 0; i < 3; i++) if (heldSender.get().endsWith(":" + clusterPorts[i])) sender = m[i];
    assertTrue(sender != null, "the sender names its member: " + heldSender.get());
    sender.kill();
    List<AggregatorProcess> up = new ArrayList<>(List.of(m));
    up.remove(sender);
    TestNodes.await("the stall delivered by another member", Duration.ofSeconds(90),
        () -> accepted.stream().anyMatch(d -> "firing".equals(d.getString("transition"))));
    String id = accepted.get(0).getJsonObject("alert").getString("id");

    var ack = TestNodes.postAs(up.get(0).httpPort(), "/api/alerts/" + id + "/ack", TestNodes.OPERATOR, new JsonObject().put("note", "on it"));
    assertEquals(200, ack.statusCode(), ack.body());
    TestNodes.await("the acknowledgement delivered", Duration.ofSeconds(60),
        () -> accepted.stream().anyMatch(d -> "acknowledged".equals(d.getString("transition"))));

    // the receiver goes down for a minute; calls come back meanwhile, and the stall resolves
    hook.get().close().await();
    app.writer.flowing.add("DPP");
    TestNodes.await("the stall resolved", Duration.ofSeconds(180), () -> {
      var r = TestNodes.getAs(up.get(0).httpPort(), "/api/alerts?state=resolved", TestNodes.OPERATOR);
      return r.statusCode() == 200 && r.body().contains(id);
    });
    Thread.sleep(60_000);
    assertTrue(accepted.stream().noneMatch(d -> "resolved".equals(d.getString("transition"))), "nothing accepted while it was down");
    hook.set(receiver.get());
    TestNodes.await("the resolution delivered once the receiver is back", Duration.ofSeconds(180),
        () -> accepted.stream().anyMatch(d -> "resolved".equals(d.getString("transition"))));
    Thread.sleep(10_000); // anything sent twice would have come by now

    List<String> transitions = accepted.stream().filter(d -> id.equals(d.getJsonObject("alert").getString("id")))
        .map(d -> d.getString("transition")).sorted().toList();
    assertEquals(List.of("acknowledged", "firing", "resolved"), transitions, "one webhook per transition: " + accepted + "; attempts " + attempts);
    TestNodes.await("three e-mails", Duration.ofSeconds(60), () -> mails(smtp, id) >= 3);
    Thread.sleep(5000);
    assertEquals(3, mails(smtp, id), "one e-mail per transition");

    // a silence made on one member: DPP's next stall is recorded and sent by none
    var silence = TestNodes.postAs(up.get(1).httpPort(), "/api/silences", TestNodes.OPERATOR, new JsonObject()
        .put("services", new JsonArray().add("DPP")).put("to", System.currentTimeMillis() / 1000 + 900).put("note", "planned restart"));
    assertEquals(201, silence.statusCode(), silence.body());
    String silenceId = new JsonObject(silence.body()).getString("id");
    int delivered = accepted.size();
    long dppMails = dppMails(smtp);
    app.writer.flowing.remove("DPP");
    try {
      TestNodes.await("the silenced stall recorded", Duration.ofSeconds(180), () -> {
        var r = TestNodes.getAs(up.get(0).httpPort(), "/api/alerts?state=firing", TestNodes.OPERATOR);
        return r.statusCode() == 200 && r.body().contains(silenceId);
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; alerts " + TestNodes.getAs(up.get(0).httpPort(), "/api/alerts", TestNodes.OPERATOR).body()
          + "; what the members said of detection:\n" + detectionLines(up), e);
    }
    Thread.sleep(10_000);
    assertEquals(delivered, accepted.size(), "no webhook for a silenced alert: " + accepted.subList(delivered, accepted.size()));
    assertEquals(dppMails, dppMails(smtp), "no e-mail for a silenced alert");
  }

  /** The members' log lines about detection and alerts: to read why an alert did not come. */
  private static String detectionLines(List<AggregatorProcess> members) {
    StringBuilder b = new StringBuilder();
    for (AggregatorProcess p : members) {
      String output;
      try {
        output = p.output();
      } catch (java.io.IOException e) {
        output = "(its log cannot be read: " + e + ")";
      }
      for (String line : output.split("\n")) {
        if (line.contains("alert") || line.contains("detection") || line.contains("silence") || line.contains("cluster:")) {
          b.append(':').append(p.httpPort()).append(' ').append(line).append('\n');
        }
      }
    }
    return b.toString();
  }

  private static long dppMails(com.icegreen.greenmail.util.GreenMail smtp) {
    return java.util.Arrays.stream(smtp.getReceivedMessages()).filter(x -> {
      try {
        return x.getSubject().endsWith(" stall DPP");
      } catch (jakarta.mail.MessagingException e) {
        return false;
      }
    }).count();
  }

  private static long mails(com.icegreen.greenmail.util.GreenMail smtp, String id) {
    return java.util.Arrays.stream(smtp.getReceivedMessages())
        .filter(x -> com.icegreen.greenmail.util.GreenMailUtil.getWholeMessage(x).contains(id)).count();
  }
}
