package callwatch.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import callwatch.common.config.ConfigSection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The clustered event bus between members runs over TLS with the cluster's certificate on both sides. */
class EventBusTlsTest {
  private static final String SECRET = "bus-secret-123";
  private final Cleanup cleanup = new Cleanup();
  @TempDir Path tmp;

  @AfterEach
  void stop() {
    cleanup.runAll();
  }

  private AggregatorConfig config(String name, String cluster, int port, List<String> members, SelfSignedCertificate cert) {
    TestNodes.writeUsers(tmp.resolve(name));
    return AggregatorConfig.from(ConfigSection.of("test", Map.of("httpPort", 0, "dataDir", tmp.resolve(name).toString(),
        "agents", Map.of("agent-1", SECRET),
        "cluster", Map.of("name", cluster, "port", port, "members", members,
            "tls", Map.of("certPem", cert.certificatePath(), "keyPem", cert.privateKeyPath())))));
  }

  @Test
  @Timeout(180)
  @DisplayName("members with the cluster's certificate copy history over TLS; a connection without a certificate is refused at the handshake")
  void tlsBetweenMembers() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("callwatch-cluster");
    String cluster = TestNodes.uniqueClusterName();
    List<String> members = List.of("127.0.0.1:5881", "127.0.0.1:5882");
    AggregatorNode a = TestNodes.start(config("agg-a", cluster, 5881, members, cert));
    cleanup.add(a::closeBlocking);
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    long now = System.currentTimeMillis();
    for (long t = now - 600_000; t < now - 60_000; t += 1000) w.write(2, t);
    var agent = TestNodes.startAgent(TestNodes.agentJson("agent-1", SECRET, tmp.resolve("agent"), a.port(),
        new JsonArray().add(new JsonObject().put("glob", logs + "/app.log*").put("format", "app"))).put("graceMillis", 3000));
    cleanup.add(() -> agent.close().await());
    TestNodes.await("a has written every slot", Duration.ofSeconds(60), () -> TestNodes.counter(a.port(), "agent-1", "parsed") == w.written()
        && TestNodes.agentStats(a.port(), "agent-1").getLong("writtenUpTo") > (now - 60_000) / 1000);
    a.hazelcast().getMap(callwatch.aggregator.cluster.ClusterSetup.SLOTS_MAP).evictAll(); // history now only in a's files
    AggregatorNode b = TestNodes.start(config("agg-b", cluster, 5882, members, cert));
    cleanup.add(b::closeBlocking);
    String range = "from=" + (now / 1000 - 900) + "&to=" + (now / 1000 + 60);
    assertEquals(w.written(), TestNodes.total(b.port(), "*.calls", range), "b took a's files over the TLS event bus");

    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new X509TrustManager() {
      public void checkClientTrusted(X509Certificate[] c, String s) {}
      public void checkServerTrusted(X509Certificate[] c, String s) {}
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    int busPort = 5881 + AggregatorConfig.EVENT_BUS_PORT_OFFSET;
    // with the cluster's certificate the handshake completes: the port does speak TLS and takes it
    io.vertx.core.Vertx v = io.vertx.core.Vertx.vertx();
    cleanup.add(() -> v.close().await());
    SSLContext member = SSLContext.getInstance("TLS");
    member.init(cert.keyCertOptions().getKeyManagerFactory(v).getKeyManagers(), cert.trustOptions().getTrustManagerFactory(v).getTrustManagers(), null);
    try (SSLSocket s = (SSLSocket) member.getSocketFactory().createSocket("127.0.0.1", busPort)) {
      s.setSoTimeout(10_000);
      s.startHandshake();
      assertEquals(true, s.getSession().isValid());
    }
    assertThrows(java.io.IOException.class, () -> {
      try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", busPort)) {
        s.setSoTimeout(10_000);
        s.startHandshake();
        s.getOutputStream().write(new byte[] {0, 0, 0, 4, 1, 2, 3, 4});
        s.getOutputStream().flush();
        if (s.getInputStream().read() < 0) throw new java.io.EOFException("closed by the member");
      }
    }, "a client without the cluster's certificate gets nothing through");
  }
}
