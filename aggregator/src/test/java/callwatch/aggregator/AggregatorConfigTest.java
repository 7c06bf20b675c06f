package callwatch.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.common.config.ConfigException;
import callwatch.common.config.ConfigSection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AggregatorConfigTest {
  @TempDir Path tmp;

  @Test
  @DisplayName("agent secrets may come from a separate file; a short or repeated secret names the file and the key")
  void agentsFile() throws Exception {
    Path file = Files.writeString(tmp.resolve("agents.yaml"), "app-1: secret-of-app-1\napp-2: secret-of-app-2\n");
    AggregatorConfig cfg = AggregatorConfig.from(ConfigSection.of("agg.yaml", Map.of(
        "agentsFile", file.toString(), "agents", Map.of("app-3", "secret-of-app-3"))));
    assertEquals(Map.of("app-1", "secret-of-app-1", "app-2", "secret-of-app-2", "app-3", "secret-of-app-3"), cfg.agents());

    Files.writeString(file, "app-1: short\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> AggregatorConfig.from(ConfigSection.of("agg.yaml", Map.of("agentsFile", file.toString()))));
    assertTrue(e.getMessage().startsWith(file + ": app-1: secret must have at least 8"), e.getMessage());

    Files.writeString(file, "app-3: another-secret\n");
    e = assertThrows(ConfigException.class, () -> AggregatorConfig.from(ConfigSection.of("agg.yaml", Map.of(
        "agentsFile", file.toString(), "agents", Map.of("app-3", "secret-of-app-3")))));
    assertTrue(e.getMessage().contains("app-3: agent listed twice"), e.getMessage());
  }

  @Test
  @DisplayName("a bad cluster member entry names the key")
  void badMember() {
    ConfigException e = assertThrows(ConfigException.class, () -> AggregatorConfig.from(ConfigSection.of("agg.yaml",
        Map.of("cluster", Map.of("members", java.util.List.of("10.0.0.1:70000"))))));
    assertTrue(e.getMessage().startsWith("agg.yaml: cluster.members: "), e.getMessage());
  }
}
