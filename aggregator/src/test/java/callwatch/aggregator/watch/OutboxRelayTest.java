package callwatch.aggregator.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.aggregator.TestNodes;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mail relay that takes the connection and never answers (a black-holing firewall, a hung relay):
 * the member must give the connection up, or a few such connections fill its pool and no alert
 * e-mail goes out again, even once the relay answers. A real SMTP server (GreenMail) behind a
 * proxy on 127.0.0.1 that holds the first connection silently.
 */
class OutboxRelayTest {
  private final List<Runnable> cleanup = new java.util.ArrayList<>();
  @TempDir Path tmp;

  @AfterEach
  void stop() {
    for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).run();
  }

  @Test
  @Timeout(180)
  @DisplayName("a connection the mail relay never answers is given up, and the alert's e-mail goes once the relay answers")
  void silentRelayConnectionIsGivenUp() throws Exception {
    GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    cleanup.add(smtp::stop);
    var node = TestNodes.bareMember(tmp.resolve("m"), TestNodes.uniqueClusterName(), 5865, List.of());
    cleanup.add(() -> node.vertx().close().await());
    cleanup.add(node.hazelcast()::shutdown);
    var vertx = node.vertx();
    AtomicInteger connections = new AtomicInteger();
    CompletableFuture<Boolean> heldClosed = new CompletableFuture<>();
    NetServer relay = vertx.createNetServer().connectHandler(client -> {
      if (connections.incrementAndGet() == 1) {
        client.closeHandler(v -> heldClosed.complete(true)); // held: not a byte is ever sent
        return;
      }
      client.pause();
      vertx.createNetClient().connect(smtp.getSmtp().getPort(), "127.0.0.1").onSuccess((NetSocket server) -> {
        client.handler(server::write);
        server.handler(client::write);
        client.closeHandler(v -> server.close());
        server.closeHandler(v -> client.close());
        client.resume();
      });
    });
    int port = relay.listen(0, "127.0.0.1").await().actualPort();
    EmailChannel email = new EmailChannel("127.0.0.1", port, "callwatch@example.org", "DISABLED", null, null,
        List.of(new EmailChannel.Route(List.of("ops@example.org"), new AlertRoute(Set.of(), Set.of(), Set.of()))));
    Outbox outbox = new Outbox(vertx, node.hazelcast(), List.of(), email, alert -> null,
        vertx.createSharedWorkerExecutor("outbox-test", 2));
    JsonObject alert = new JsonObject().put("id", "relay-test-1").put("kind", "stall").put("severity", "outage").put("state", "firing")
        .put("subject", new JsonObject().put("service", "DPP")).put("since", System.currentTimeMillis() / 1000)
        .put("reason", "no DPP call for 15 s");
    vertx.executeBlocking(() -> {
      outbox.enqueueBlocking(alert);
      return null;
    }).await();

    assertTrue(heldClosed.get(120, TimeUnit.SECONDS), "the member closed the connection the relay never answered");
    TestNodes.await("the e-mail through the relay once it answers", Duration.ofSeconds(60),
        () -> smtp.getReceivedMessages().length == 1);
    assertTrue(GreenMailUtil.getWholeMessage(smtp.getReceivedMessages()[0]).contains("relay-test-1"));
    assertEquals(1, smtp.getReceivedMessages().length, "once");
  }
}
