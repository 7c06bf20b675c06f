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
      "aggregators: [\"ws://x/agent\"]\\nfiles: [{glob: /x}]\\nstepSeconds: 7|stepSeconds: must be 10",
      "aggregators: [\"ws://x/agent\"]\\nfiles: [{glob: /x}]\\nstepSeconds: 5|stepSeconds: must be 10: the aggregator stores 10 s slots and refuses every batch of another step",
      "aggregators: [\"ws://x/agent\"]\\nfiles: [{glob: /x, zone: Mars/Olympus}]|files[0].zone: 'Mars/Olympus' is not a time zone",
      "aggregators: [\"ws://x/agent\"\\nfiles|not valid YAML"})
  @DisplayName("a bad config is refused with the file and the key named")
  void badConfigNamesFileAndKey(String yaml, String message) throws Exception {
    Path f = tmp.resolve("agent.yaml");
    Files.writeString(f, yaml.replace("\\n", "\n"));
    ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.from(ConfigFiles.load(f)));
    assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  @DisplayName("five mistakes are reported in one run, each with its key and YAML line")
  void everyMistakeAtOnce() throws Exception {
    Path f = tmp.resolve("agent.yaml");
    Files.writeString(f, """
        aggregators: ["http://x/agent"]
        files:
          - { glob: /var/log/app.log*, format: csv }
        stepSeconds: 7
        spoolMaxBytes: -5
        stepSecond: 10
        """);
    ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.from(ConfigFiles.load(f)));
    String[] lines = e.getMessage().split("\n");
    assertEquals(5, lines.length, e.getMessage());
    assertTrue(lines[0].contains("aggregators: 'http://x/agent' must be a ws:// or wss:// URL") && lines[0].endsWith("(line 1)"), lines[0]);
    assertTrue(e.getMessage().contains("files[0].format: unknown format 'csv'") && e.getMessage().contains("(line 3)"), e.getMessage());
    assertTrue(e.getMessage().contains("stepSeconds: must be 10: the aggregator stores 10 s slots and refuses every batch of another step, got 7 (line 4)"),
        e.getMessage());
    assertTrue(e.getMessage().contains("spoolMaxBytes: must be between 1024 and") && e.getMessage().contains("(line 5)"), e.getMessage());
    assertTrue(e.getMessage().contains("stepSecond: unknown key") && e.getMessage().contains("(line 6)"), e.getMessage());
    for (String line : lines) assertTrue(line.startsWith(f + ": "), line);
  }

  @Test
  @DisplayName("a secret file every user of the machine can read is refused, with the fix")
  void secretFileMustBePrivate() throws Exception {
    Path secret = Files.writeString(tmp.resolve("agent.secret"), "an-agent-secret-123\n");
    Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Path f = tmp.resolve("agent.yaml");
    Files.writeString(f, "aggregators: [\"ws://x/agent\"]\nfiles: [{glob: /x}]\nsecretFile: " + secret + "\n");
    ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.from(ConfigFiles.load(f)));
    assertTrue(e.getMessage().contains("secretFile: " + secret + " can be read by every user of this machine") && e.getMessage().contains("chmod 600"),
        e.getMessage());
    Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
    assertEquals("an-agent-secret-123", AgentConfig.from(ConfigFiles.load(f)).secret());
  }

  @Test
  @DisplayName("a secret of the wrong type is refused without being repeated")
  void secretIsNotRepeated() throws Exception {
    Path f = tmp.resolve("agent.yaml");
    Files.writeString(f, "aggregators: [\"ws://x/agent\"]\nfiles: [{glob: /x}]\nsecret: [\"s3cr3t-value-xyz\"]\n");
    ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.from(ConfigFiles.load(f)));
    assertTrue(e.getMessage().contains("secret: must be a non-empty string"), e.getMessage());
    assertTrue(!e.getMessage().contains("s3cr3t"), e.getMessage());
  }

  @Test
  @DisplayName("broken YAML names its line")
  void brokenYamlHasItsLine() throws Exception {
    Path f = tmp.resolve("agent.yaml");
    Files.writeString(f, "aggregators: [\"ws://x/agent\"]\nfiles:\n  - { glob: /x\n  format: app\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.load(f));
    assertTrue(e.getMessage().matches("(?s).*not valid YAML at line \\d+: .*"), e.getMessage());
  }

  @Test
  @DisplayName("--check-config also finds a missing trustPem and a state folder that cannot be made, and warns of a glob folder that does not exist")
  void checkConfigLooksAtThePaths() throws Exception {
    Path readOnly = Files.writeString(tmp.resolve("a-file"), "not a folder"); // no user, root included, can make a folder in it
    Path f = tmp.resolve("agent.yaml");
    Files.writeString(f, "aggregators: [\"wss://x/agent\"]\n"
        + "files: [{glob: " + tmp.resolve("nowhere") + "/app.log*}]\n"
        + "stateDir: " + readOnly.resolve("state") + "\n"
        + "trustPem: " + tmp.resolve("missing.pem") + "\n");
    AgentConfig.from(ConfigFiles.load(f)); // the structure is fine
    var section = ConfigFiles.load(f);
    ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.from(section, true));
    assertTrue(e.getMessage().contains("stateDir: cannot create " + readOnly.resolve("state")), e.getMessage());
    assertTrue(e.getMessage().contains("trustPem: " + tmp.resolve("missing.pem") + " does not exist"), e.getMessage());
    // a log folder may appear after the agent is installed: said, but not refused
    assertTrue(!e.getMessage().contains("files[0].glob"), e.getMessage());
    assertEquals(java.util.List.of(f + ": files[0].glob: the folder " + tmp.resolve("nowhere")
        + " does not exist (yet): nothing is read until it does (line 2)"), section.warnings());
  }
}
