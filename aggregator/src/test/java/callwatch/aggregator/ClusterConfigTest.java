package callwatch.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** How members are configured: the documented list form keeps the majority rule; a list that disagrees, or a busy port, is refused. */
class ClusterConfigTest {
  private static final Map<String, String> AGENTS = Map.of("agent-1", "config-secret-1");
  private final Cleanup cleanup = new Cleanup();
  @TempDir Path tmp;

  @AfterEach
  void tearDown() {
    cleanup.runAll();
  }

  private AggregatorNode start(String name, String cluster, int port, List<String> members) {
    AggregatorNode n = TestNodes.start(TestNodes.config(tmp.resolve(name), cluster, port, members, AGENTS));
    cleanup.add(n::closeBlocking);
    return n;
  }

  @Test
  @Timeout(180)
  @DisplayName("three members each listing only the others (the README's form): a member left alone stops acknowledging")
  void othersOnlyFormKeepsTheMajorityRule() {
    String cluster = TestNodes.uniqueClusterName();
    int[] ports = {5891, 5892, 5893};
    AggregatorNode[] nodes = new AggregatorNode[3];
    for (int i = 0; i < 3; i++) {
      List<String> others = new ArrayList<>();
      for (int j = 0; j < 3; j++) if (j != i) others.add("127.0.0.1:" + ports[j]);
      nodes[i] = TestNodes.start(TestNodes.config(tmp.resolve("agg-" + i), cluster, ports[i], others, AGENTS));
    }
    cleanup.add(() -> nodes[0].closeBlocking());
    assertEquals(200, TestNodes.getRaw(nodes[0].port(), "/api/health").statusCode());
    nodes[1].crashBlocking();
    nodes[2].crashBlocking();
    TestNodes.await("the lone member says it has no majority", Duration.ofSeconds(60),
        () -> TestNodes.getRaw(nodes[0].port(), "/api/health").statusCode() == 503);
    assertEquals(false, TestNodes.get503(nodes[0].port()).getBoolean("quorum"));
  }

  @Test
  @Timeout(120)
  @DisplayName("a member whose list disagrees with the running members' is refused at start, with both lists named")
  void inconsistentListIsRefused() {
    String cluster = TestNodes.uniqueClusterName();
    List<String> three = List.of("127.0.0.1:5894", "127.0.0.1:5895", "127.0.0.1:5896");
    start("agg-a", cluster, 5894, three);
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> TestNodes.start(TestNodes.config(tmp.resolve("agg-b"), cluster, 5895, List.of("127.0.0.1:5894"), AGENTS)));
    assertTrue(e.getMessage().contains("cluster.members") && e.getMessage().contains("127.0.0.1:5896"), e.getMessage());
  }

  @Test
  @Timeout(60)
  @DisplayName("a busy cluster port is an error naming the port, not a silent move to the next one")
  void busyClusterPortIsAnError() throws Exception {
    try (ServerSocket busy = new ServerSocket(5897, 50, InetAddress.getByName("127.0.0.1"))) {
      RuntimeException e = assertThrows(RuntimeException.class,
          () -> TestNodes.start(TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 5897, List.of(), AGENTS)));
      assertTrue(e.getMessage().contains("cluster.port") && e.getMessage().contains("5897"), e.getMessage());
    }
  }
}
