package callwatch.aggregator.cluster;

import callwatch.aggregator.TestNodes;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Two real Hazelcast members of a cluster of their own on 127.0.0.1, configured as the aggregator's; terminated on close. */
final class TwoMembers implements AutoCloseable {
  final HazelcastInstance a;
  final HazelcastInstance b;

  TwoMembers(Path dir, int portA, int portB) {
    String cluster = TestNodes.uniqueClusterName();
    List<String> all = List.of("127.0.0.1:" + portA, "127.0.0.1:" + portB);
    a = member(dir, cluster, portA, all);
    b = member(dir, cluster, portB, all);
  }

  private static HazelcastInstance member(Path dir, String cluster, int port, List<String> all) {
    return Hazelcast.newHazelcastInstance(ClusterSetup.hazelcastConfig(
        TestNodes.config(dir.resolve("m" + port), cluster, port, all, Map.of())));
  }

  @Override
  public void close() {
    a.getLifecycleService().terminate();
    b.getLifecycleService().terminate();
  }
}
