package callwatch.aggregator.bench;

import callwatch.aggregator.AggregatorConfig;
import callwatch.aggregator.AggregatorNode;
import callwatch.common.config.ConfigSection;
import java.nio.file.Path;
import java.util.Map;

/** A single aggregator node on 127.0.0.1 for a benchmark, knowing one agent. */
final class BenchNode {
  private BenchNode() {}

  static AggregatorNode start(String name, Path dataDir, int clusterPort, String agentId, String secret) {
    return AggregatorNode.start(AggregatorConfig.from(ConfigSection.of("bench", Map.of(
        "httpPort", 0, "dataDir", dataDir.toString(), "agents", Map.of(agentId, secret),
        "cluster", Map.of("name", "callwatch-" + name + "-bench-" + ProcessHandle.current().pid(), "port", clusterPort))))).await();
  }
}
