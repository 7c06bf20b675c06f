package callwatch.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the cluster stores travels as Compact or plain values, never as Java-serialised objects. */
class SerializationTest {
  private static final String SECRET = "serial-secret-1";
  private final Cleanup cleanup = new Cleanup();
  @TempDir Path tmp;

  @AfterEach
  void stop() {
    cleanup.runAll();
  }

  @Test
  @Timeout(120)
  @DisplayName("two members exchange every kind of value; none of the values in the cluster's maps is a Java-serialisable class of ours")
  void noJavaSerialisation() throws Exception {
    String cluster = TestNodes.uniqueClusterName();
    List<String> members = List.of("127.0.0.1:5877", "127.0.0.1:5878");
    AggregatorNode a = TestNodes.start(TestNodes.config(tmp.resolve("a"), cluster, 5877, members, Map.of("agent-s", SECRET)));
    cleanup.add(a::closeBlocking);
    AggregatorNode b = TestNodes.start(TestNodes.config(tmp.resolve("b"), cluster, 5878, members, Map.of("agent-s", SECRET)));
    cleanup.add(b::closeBlocking);
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    w.write(300, System.currentTimeMillis() - 90_000);
    var agent = TestNodes.startAgent(TestNodes.agentJson("agent-s", SECRET, tmp.resolve("agent"), a.port(),
        new JsonArray().add(new JsonObject().put("glob", logs + "/app.log*").put("format", "app"))));
    cleanup.add(() -> agent.close().await());
    String range = "from=-10m&to=now";
    TestNodes.await("both members see every call", Duration.ofSeconds(60),
        () -> TestNodes.total(a.port(), "*.calls", range) == 300 && TestNodes.total(b.port(), "*.calls", range) == 300);
    TestNodes.await("pharmacy minutes stored", Duration.ofSeconds(60),
        () -> !TestNodes.get(b.port(), "/api/drilldown?from=-10m").getJsonArray("topByCalls").isEmpty());
    TreeSet<String> javaSerialisable = new TreeSet<>();
    int values = 0;
    for (var o : a.hazelcast().getDistributedObjects()) {
      if (!(o instanceof IMap<?, ?> map) || !map.getName().startsWith("callwatch.")) continue;
      for (Object v : map.values()) {
        values++;
        if (v instanceof java.io.Serializable && !(v instanceof String) && !(v instanceof Number)) javaSerialisable.add(map.getName() + ": " + v.getClass());
      }
    }
    assertTrue(values > 0);
    assertEquals(new TreeSet<>(), javaSerialisable, "values that would travel as Java-serialised objects");
    assertFalse(a.hazelcast().getConfig().getSerializationConfig().getJavaSerializationFilterConfig() == null, "Java deserialisation filtered");
  }
}
