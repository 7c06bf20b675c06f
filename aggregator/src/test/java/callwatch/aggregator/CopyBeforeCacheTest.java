package callwatch.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import callwatch.aggregator.cluster.AgentState;
import callwatch.aggregator.cluster.ClusterSetup;
import callwatch.aggregator.ingest.JournalCopies;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch goes into the cache only once a peer holds its copy. The cache's agent state says what
 * is stored, and an agent that reconnects drops its batches up to there without sending them
 * again; a batch put into the cache before its copy, on a member that then dies, is on no
 * surviving disk, and a replica promoted without it loses it for good.
 */
class CopyBeforeCacheTest {
  private static final String SECRET = "copy-before-cache-secret";
  @TempDir Path tmp;

  @Test
  @Timeout(180)
  @DisplayName("a batch no peer has copied is not in the cache: the agent's state does not count it, and it is not acknowledged")
  void noCopyNoCache() throws Exception {
    String cluster = TestNodes.uniqueClusterName();
    List<String> members = List.of("127.0.0.1:6019", "127.0.0.1:6029");
    // the peer: a member whose journal takes a copy and never answers (a stalled disk)
    ClusterSetup.Node peer = TestNodes.bareMember(tmp.resolve("peer"), cluster, 6019, members);
    peer.vertx().eventBus().consumer(JournalCopies.address(peer.hazelcast().getCluster().getLocalMember().getUuid().toString()), m -> { });
    AggregatorNode node = TestNodes.start(TestNodes.config(tmp.resolve("agg"), cluster, 6029, members, Map.of("raw", SECRET)));
    Vertx vertx = Vertx.vertx();
    try (RawAgent a = new RawAgent(vertx, node.port(), "raw", SECRET)) {
      assertEquals(0, a.hello("raw", "epoch-1", 1));
      long slot = RawAgent.currentSlot();
      a.send(RawAgent.batch(1, slot, slot - 10, "DPP", "x", 11).encode());
      JsonObject answer = a.next(); // the copy times out after 5 s
      assertEquals("closed", answer.getString("type"), "not acknowledged: " + answer);
      AgentState state = node.cache().agentsBlocking().get("raw");
      assertEquals(0, state.lastSeq, "the cache's state of the agent does not count a batch without a copy");
    } finally {
      vertx.close().await();
      node.closeBlocking();
      peer.vertx().close().await(30, TimeUnit.SECONDS);
    }
  }
}
