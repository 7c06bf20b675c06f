package callwatch.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A node that cannot start must not linger holding its cluster port: its supervisor has to see it fail. */
class StartFailureTest {
  @TempDir Path tmp;

  @Test
  @Timeout(120)
  @DisplayName("a node whose data folder cannot be created exits with status 1 and says why")
  void failedStartExitsNonZero() throws Exception {
    Path notAFolder = Files.writeString(tmp.resolve("data"), "a file where the data folder should be");
    Path config = tmp.resolve("aggregator.json");
    Files.writeString(config, new JsonObject().put("httpPort", 0).put("dataDir", notAFolder.resolve("x").toString())
        .put("cluster", new JsonObject().put("name", TestNodes.uniqueClusterName()).put("port", 5881)).encode());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "callwatch.aggregator.AggregatorMain", config.toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("out.log").toFile()).start();
    boolean exited = p.waitFor(90, TimeUnit.SECONDS);
    if (!exited) p.destroyForcibly().waitFor();
    String out = Files.readString(tmp.resolve("out.log"));
    assertTrue(exited, "the process exited by itself; output:\n" + out);
    assertEquals(1, p.exitValue());
    assertTrue(out.contains("failed to start"), out);
  }
}
