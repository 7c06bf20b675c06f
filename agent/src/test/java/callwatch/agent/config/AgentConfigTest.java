package callwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.common.config.ConfigException;
import callwatch.common.config.ConfigFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
  @TempDir Path tmp;

  private static final String GOOD = """
      aggregators: ["ws://127.0.0.1:8080/agent"]
      files:
        - { glob: "/var/log/app/app*.log", format: app }
      """;

  @Test
  @DisplayName("a minimal YAML config gets the documented defaults")
  void minimalConfigGetsDefaults() throws Exception {
    Path f = tmp.resolve("agent.yaml");
    Files.writeString(f, GOOD);
    AgentConfig c = AgentConfig.from(ConfigFiles.load(f));
    assertEquals(10, c.stepSeconds());
    assertEquals(AgentConfig.DEFAULT_SPOOL_MAX_BYTES, c.spoolMaxBytes());
    assertEquals(65536, c.maxLineBytes());
    assertEquals(1, c.files().size());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "aggregators: [\"ws://127.0.0.1:8080/agent\"]|files: is required",
      "files: [{glob: /x, format: app}]|aggregators: is required",
      "aggregators: [\"http://x/agent\"]\\nfiles: [{glob: /x}]|aggregators: 'http://x/agent' must be a ws:// or wss:// URL",
      "aggregators: [\"ws://x/agent\"]\\nfiles: [{glob: /x, format: csv}]|files[0].format: unknown format 'csv'",
      "aggregators: [\"ws://x/agent\"]\\nfiles: [{glob: /x, format: regex, pattern: \"(?<ts>x)\"}]|files[0].pattern: pattern lacks the named group (?<service>",
      "aggregators: [\"ws://x/agent\"]\\nfiles: [{glob: /x}]\\nspoolMaxBytes: -5|spoolMaxBytes: must be between",
      "aggregators: [\"ws://x/agent\"]\\nfiles: [{glob: /x}]\\nstepSecond: 10|stepSecond: unknown key",
      "aggregators: [\"ws://x/agent\"]\\nfiles: [{glob: /x}]\\nstepSeconds: 7|stepSeconds: must divide a minute",
      "aggregators: [\"ws://x/agent\"\\nfiles|not valid YAML"})
  @DisplayName("a bad config is refused with the file and the key named")
  void badConfigNamesFileAndKey(String yaml, String message) throws Exception {
    Path f = tmp.resolve("agent.yaml");
    Files.writeString(f, yaml.replace("\\n", "\n"));
    ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.from(ConfigFiles.load(f)));
    assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
