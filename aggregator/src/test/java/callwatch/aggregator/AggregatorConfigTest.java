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
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    ConfigException open = assertThrows(ConfigException.class,
        () -> AggregatorConfig.from(ConfigSection.of("agg.yaml", Map.of("agentsFile", file.toString()))));
    assertTrue(open.getMessage().contains("agentsFile: " + file + " can be read by every user of this machine"), open.getMessage());
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
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
  @DisplayName("detection and alerting settings: every mistake names its key; the defaults when absent")
  void detectionAndAlerting() {
    AggregatorConfig ok = AggregatorConfig.from(ConfigSection.of("agg.yaml", Map.of()));
    assertEquals(18, ok.detection().stallThreshold());
    assertEquals("Europe/Brussels", ok.detection().zone().getId());
    assertTrue(ok.detection().holidays().isHoliday(java.time.LocalDate.of(2027, 7, 21)), "Belgium's public holidays by default");
    AggregatorConfig ownHolidays = AggregatorConfig.from(ConfigSection.of("agg.yaml", Map.of("detection", Map.of("holidays",
        java.util.List.of("2026-12-24")))));
    assertTrue(ownHolidays.detection().holidays().isHoliday(java.time.LocalDate.of(2026, 12, 24)));
    assertTrue(!ownHolidays.detection().holidays().isHoliday(java.time.LocalDate.of(2026, 12, 25)), "only the dates given, without BE");
    assertTrue(ok.alerting().webhooks().isEmpty() && ok.alerting().email() == null);
    assertEquals(30, ok.alerting().renotifyMinutes(), "a reminder every 30 minutes by default");
    AggregatorConfig routed = AggregatorConfig.from(ConfigSection.of("agg.yaml", Map.of("alerting", Map.of("email", Map.of("host", "smtp.example",
        "to", java.util.List.of("ops@example.org"), "routes", java.util.List.of(Map.of("to", java.util.List.of("lead@example.org"),
            "severities", java.util.List.of("outage"))))))));
    var routes = routed.alerting().email().routes();
    assertEquals(2, routes.size());
    assertTrue(routes.get(0).route().wants("drop", "DPP", "degraded"), "the first route takes all");
    assertTrue(routes.get(1).route().wants("stall", "DPP", "outage"));
    assertTrue(!routes.get(1).route().wants("drop", "DPP", "degraded"), "the lead's route takes outages only");
    ConfigException e = assertThrows(ConfigException.class, () -> AggregatorConfig.from(ConfigSection.of("agg.yaml", Map.of(
        "detection", Map.of("zone", "Mars/Olympus", "stallThreshold", 2, "holidays", java.util.List.of("BE", "2026-13-01"), "maintenance", java.util.List.of(Map.of("services", java.util.List.of("RECIPE"),
            "from", "25:00", "to", "21:30", "days", java.util.List.of("someday")))),
        "alerting", Map.of("webhooks", java.util.List.of(Map.of("url", "ftp://x", "secret", "short", "severities", java.util.List.of("bad"), "kinds", java.util.List.of("stal"))),
            "renotifyMinutes", -1,
            "email", Map.of("host", "smtp.example", "to", java.util.List.of("not-an-address"),
                "routes", java.util.List.of(Map.of("to", java.util.List.of("lead@example.org"), "severities", java.util.List.of("outage", "awful")))))))));
    String m = e.getMessage();
    for (String expected : new String[] {"detection.zone: 'Mars/Olympus' is not a time zone", "detection.stallThreshold: ",
        "detection.maintenance[0].from: '25:00' is not a time of day",
        "detection.holidays: '2026-13-01' is neither BE (Belgium's public holidays) nor a date (yyyy-MM-dd)", "detection.maintenance[0].days: 'someday' is not a day",
        "alerting.webhooks[0].url: must be an http:// or https:// address, not ftp://…", "alerting.webhooks[0].secret: must have at least 16", "alerting.email.to: 'not-an-address'",
        "alerting.webhooks[0].severities: 'bad' is not outage, degraded or unknown", "alerting.renotifyMinutes: ",
        "alerting.email.routes[0].severities: 'awful' is not", "alerting.webhooks[0].kinds: 'stal' is not a kind of alert"}) {
      assertTrue(m.contains(expected), "names " + expected + ": " + m);
    }
  }

  @Test
  @DisplayName("secrets of the wrong type are refused without being repeated: an agent's, a webhook's, the mail relay's password")
  void secretsAreNotRepeated() {
    ConfigException e = assertThrows(ConfigException.class, () -> AggregatorConfig.from(ConfigSection.of("agg.yaml", Map.of(
        "agents", Map.of("a1", java.util.List.of("s3cr3t-agent-1234")),
        "alerting", Map.of("webhooks", java.util.List.of(Map.of("url", "https://h/x", "secret", java.util.List.of("s3cr3t-hook-12345678"))),
            "email", Map.of("host", "smtp.example.org", "to", java.util.List.of("ops@example.org"), "password", java.util.List.of("s3cr3t-mail")))))));
    String m = e.getMessage();
    assertTrue(m.contains("agents.a1: ") && m.contains("alerting.webhooks[0].secret: ") && m.contains("alerting.email.password: "), m);
    assertTrue(!m.contains("s3cr3t"), m);
  }

  @Test
  @DisplayName("every bad cluster member entry, and a bad cluster host, is named under its key")
  void badMember() {
    ConfigException e = assertThrows(ConfigException.class, () -> AggregatorConfig.from(ConfigSection.of("agg.yaml",
        Map.of("cluster", Map.of("members", java.util.List.of("10.0.0.1:70000", "10.0.0.2", "a b"))))));
    assertTrue(e.getMessage().startsWith("agg.yaml: cluster.members: "), e.getMessage());
    assertTrue(e.getMessage().contains("'10.0.0.1:70000'") && e.getMessage().contains("'a b'"), e.getMessage());
    assertEquals(2, e.getMessage().lines().count(), e.getMessage());
    e = assertThrows(ConfigException.class, () -> AggregatorConfig.from(ConfigSection.of("agg.yaml",
        Map.of("cluster", Map.of("host", "a b")))));
    assertEquals("agg.yaml: cluster.host: 'a b' is not a host name or an IP address", e.getMessage());
    // an IPv6 member address is taken (in brackets in the list)
    AggregatorConfig.from(ConfigSection.of("agg.yaml", Map.of("cluster", Map.of("host", "::1", "members", java.util.List.of("[::1]:5702")))));
  }

  @Test
  @DisplayName("--check-config reports every mistake at once with its line, and the paths that cannot be used")
  void everyMistakeAtOnce() throws Exception {
    Path notAFolder = Files.writeString(tmp.resolve("a-file"), "x");
    Path f = Files.writeString(tmp.resolve("agg.yaml"), """
        httpPort: 99999
        dataDir: %s
        cluster:
          host: 0.0.0.0
          backups: 9
        tls:
          certPem: %s
          keyPem: %s
        cacheWindowMinutes: 5
        colour: blue
        """.formatted(notAFolder.resolve("data"), tmp.resolve("no-cert.pem"), tmp.resolve("no-key.pem")));
    ConfigException e = assertThrows(ConfigException.class,
        () -> AggregatorConfig.from(callwatch.common.config.ConfigFiles.load(f), true));
    String m = e.getMessage();
    for (String expected : new String[] {"httpPort: must be between 0 and 65535, got 99999 (line 1)", "cluster.host: is a wildcard",
        "cluster.backups: must be between 0 and 6, got 9 (line 5)", "cacheWindowMinutes: must be between 130", "colour: unknown key",
        "dataDir: cannot create " + notAFolder.resolve("data"), "tls.certPem: " + tmp.resolve("no-cert.pem") + " does not exist",
        "tls.keyPem: " + tmp.resolve("no-key.pem") + " does not exist"}) {
      assertTrue(m.contains(expected), expected + " in:\n" + m);
    }
    assertTrue(m.lines().allMatch(l -> l.startsWith(f + ": ")), m);
  }

  @Test
  @DisplayName("--help prints the usage of both jars instead of taking it for a file name")
  void help() throws Exception {
    java.io.PrintStream out = System.out;
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      AggregatorMain.main(new String[] {"--help"});
      callwatch.agent.AgentMain.main(new String[] {"--help"});
    } finally {
      System.setOut(out);
    }
    String printed = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(printed.contains("java -jar callwatch-aggregator.jar --check-config CONFIG"), printed);
    assertTrue(printed.contains("java -jar callwatch-agent.jar --check-config CONFIG.yaml"), printed);
  }
}
