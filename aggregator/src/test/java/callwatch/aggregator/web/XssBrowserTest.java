package callwatch.aggregator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import callwatch.aggregator.AggregatorNode;
import callwatch.aggregator.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log lines carry whatever the application servers write: a service, op, vendor, host or pharmacy
 * that is HTML must be shown as text on every page, and never run. The payload would set a flag.
 */
class XssBrowserTest {
  private static final String SECRET = "xss-secret-123";
  /** An empty src fails at once, so onerror runs wherever this is parsed as HTML. */
  private static final String PAYLOAD = "<img/src/onerror=pwned=1>"; // no dot: series names are SERVICE.metric
  @TempDir Path tmp;
  private AggregatorNode node;
  private io.vertx.core.Vertx agent;
  private HeadlessChromium browser;

  @AfterEach
  void stop() throws Exception {
    if (browser != null) browser.close();
    if (agent != null) agent.close().await();
    if (node != null) node.closeBlocking();
  }

  @Test
  @Timeout(60)
  @DisplayName("every answer carries a strict Content-Security-Policy, nosniff, no framing and no referrer")
  void securityHeaders() {
    node = TestNodes.start(TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 5861, List.of(), Map.of()));
    for (String path : new String[] {"/", "/graph.html", "/api/series", "/api/health", "/no-such-page"}) {
      var h = TestNodes.getRaw(node.port(), path).headers();
      String csp = h.firstValue("content-security-policy").orElse("");
      assertEquals(true, csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"), path + ": " + csp);
      assertEquals("nosniff", h.firstValue("x-content-type-options").orElse(""), path);
      assertEquals("no-referrer", h.firstValue("referrer-policy").orElse(""), path);
    }
  }

  @Test
  @Timeout(180)
  @DisplayName("HTML in service, op, vendor, host and pharmacy is shown as text on the wallboard, graph, drill-down and agents pages, and in a link")
  void logLabelsAreText() throws Exception {
    node = TestNodes.start(TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 5861, List.of(), Map.of("xss-agent", SECRET)));
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    StringBuilder sb = new StringBuilder();
    long now = System.currentTimeMillis();
    for (int i = 0; i < 40; i++) {
      sb.append(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.ofEpochMilli(now - 60_000 + i * 1000).atOffset(ZoneOffset.UTC)))
          .append(" INFO [").append(PAYLOAD).append("] call service=").append(PAYLOAD).append(" op=").append(PAYLOAD)
          .append(" pharmacy=").append(PAYLOAD).append(" vendor=").append(PAYLOAD).append(" status=ERROR code=E401 ms=12\n");
    }
    Files.writeString(logs.resolve("app.log"), sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE);
    agent = TestNodes.startAgent(TestNodes.agentJson("xss-agent", SECRET, tmp.resolve("agent"), node.port(),
        new JsonArray().add(new JsonObject().put("glob", logs + "/*.log").put("format", "app"))));
    TestNodes.await("the calls are stored", Duration.ofSeconds(60), () -> TestNodes.counter(node.port(), "xss-agent", "parsed") == 40);
    browser = new HeadlessChromium(Files.createDirectories(tmp.resolve("chromium-profile")));
    String base = "http://127.0.0.1:" + node.port();
    browser.login(base, TestNodes.OPERATOR, TestNodes.PASSWORD);

    HeadlessChromium.Tab wall = browser.open(base + "/", 1280, 900, false);
    String tile = "[...document.querySelectorAll('.tile')].find(t => t.dataset.service === " + new JsonArray().add(PAYLOAD).encode() + "[0])";
    wall.waitFor("the tile of the odd service", "!!" + tile, Duration.ofSeconds(30));
    assertEquals(PAYLOAD, wall.eval(tile + ".querySelector('.name').textContent"), "the wallboard shows the name as text");
    assertEquals(Boolean.TRUE, wall.eval("document.querySelectorAll('.tile img').length === 0 && window.pwned === undefined"), "wallboard: no script ran");

    String series = URLEncoder.encode(PAYLOAD + ".calls", StandardCharsets.UTF_8);
    long from = now / 1000 - 600, to = now / 1000 + 60;
    String drill = "/api/drilldown?service=" + URLEncoder.encode(PAYLOAD, StandardCharsets.UTF_8) + "&from=" + from + "&to=" + to;
    // pharmacy minutes arrive once their minute is closed
    TestNodes.await("the pharmacy is in the drill-down", Duration.ofSeconds(120),
        () -> {
          var r = TestNodes.getRaw(node.port(), drill); // a 503 while the wallboard's tab loads: ask again
          return r.statusCode() == 200 && !new JsonObject(r.body()).getJsonArray("topByCalls").isEmpty();
        });
    HeadlessChromium.Tab graph = browser.open(base + "/graph.html?s=" + series + "&from=" + from + "&to=" + to, 1280, 900, false);
    graph.waitFor("the drill-down is drawn", "!!document.querySelector('#top-calls tr:nth-child(2) td')", Duration.ofSeconds(30));
    assertEquals(PAYLOAD, graph.eval("document.querySelector('#top-calls tr:nth-child(2) td').textContent"), "pharmacy as text");
    assertEquals(PAYLOAD, graph.eval("document.querySelector('#top-calls tr:nth-child(2) td:nth-child(2)').textContent"), "vendor as text");
    assertEquals(PAYLOAD + " — calls", graph.eval("document.getElementById('title').textContent"), "the series from the link, as text");
    assertEquals(Boolean.TRUE, graph.eval("document.querySelectorAll('img').length === 0 && window.pwned === undefined"),
        "graph and drill-down: no script ran (also not from the link)");

    HeadlessChromium.Tab agents = browser.open(base + "/agents.html", 1280, 900, false);
    agents.waitFor("the agent's row", "!!document.querySelector('tr[data-agent=\"xss-agent\"]')", Duration.ofSeconds(30));
    assertEquals(Boolean.TRUE, agents.eval("document.querySelectorAll('img').length === 0 && window.pwned === undefined"), "agents page: no script ran");
  }
}
