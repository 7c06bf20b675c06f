package callwatch.aggregator;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.common.config.ConfigException;
import callwatch.common.config.ConfigSection;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The cluster port is for members only, on one interface. */
class ClusterPortTest {
  @TempDir Path tmp;

  @Test
  @Timeout(120)
  @DisplayName("a Hazelcast client with the right cluster name is refused on the cluster port: it cannot read the maps")
  void clientRefused() {
    String cluster = TestNodes.uniqueClusterName();
    AggregatorNode node = TestNodes.start(TestNodes.config(tmp.resolve("agg"), cluster, 5815, List.of(), Map.of()));
    try {
      ClientConfig c = new ClientConfig().setClusterName(cluster);
      c.getNetworkConfig().addAddress("127.0.0.1:5815").setConnectionTimeout(3000);
      c.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(8000);
      c.setProperty("hazelcast.logging.type", "jdk");
      RuntimeException e = assertThrows(RuntimeException.class, () -> HazelcastClient.newHazelcastClient(c).getMap("callwatch.pharmacies").size());
      assertTrue(String.valueOf(e.getMessage()).toLowerCase().contains("connect"), String.valueOf(e));
    } finally {
      node.closeBlocking();
    }
  }

  @Test
  @DisplayName("a wildcard cluster address is refused unless allowed explicitly")
  void wildcardRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> AggregatorConfig.from(ConfigSection.of("agg.yaml",
        Map.of("cluster", Map.of("host", "0.0.0.0")))));
    assertTrue(e.getMessage().startsWith("agg.yaml: cluster.host: is a wildcard"), e.getMessage());
    AggregatorConfig.from(ConfigSection.of("agg.yaml", Map.of("cluster", Map.of("host", "0.0.0.0", "allowWildcard", true))));
  }
}
