package callwatch.aggregator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.aggregator.AggregatorNode;
import callwatch.aggregator.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The graph view in a real headless chromium against a real aggregator and agent, on eight days of
 * synthetic history: a steady 6 calls/min with a 40-minute plateau of exactly 120 calls/min that
 * ended ten minutes ago. Whatever the range or zoom, the plateau must read 120 calls/min.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphBrowserTest {
  private static final String SECRET = "graph-secret-1";
  private static final double PEAK_PER_MIN = 120;
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
  @TempDir static Path tmp;
  private AggregatorNode node;
  private Vertx agent;
  private HeadlessChromium browser;
  private long plateauStart;
  private long plateauEnd;

  @BeforeAll
  void start() throws Exception {
    node = TestNodes.start(TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 5986, List.of(), Map.of("graph-agent", SECRET)));
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    long now = System.currentTimeMillis() / 1000;
    plateauEnd = Math.floorDiv(now - 600, 600) * 600;
    plateauStart = plateauEnd - 2400;
    long begin = Math.floorDiv(now - 8 * 86400, 3600) * 3600;
    try (BufferedWriter out = Files.newBufferedWriter(logs.resolve("app.log"), StandardCharsets.UTF_8)) {
      for (long t = begin; t < now - 30; t += 10) {
        if (t >= plateauStart && t < plateauEnd) {
          for (int i = 0; i < 20; i++) line(out, t * 1000 + i * 500L);
        } else {
          line(out, t * 1000 + 5000);
        }
      }
    }
    agent = TestNodes.startAgent(TestNodes.agentJson("graph-agent", SECRET, tmp.resolve("agent"), node.port(),
        new JsonArray().add(new JsonObject().put("glob", logs + "/app.log").put("format", "app"))));
    TestNodes.await("eight days written to the files", Duration.ofSeconds(150), () -> {
      JsonArray agents = TestNodes.get(node.port(), "/api/agents").getJsonArray("agents");
      return !agents.isEmpty() && agents.getJsonObject(0).getLong("writtenUpTo") > now - 120;
    });
    browser = new HeadlessChromium(Files.createDirectories(tmp.resolve("chromium-profile")));
    browser.login("http://127.0.0.1:" + node.port(), TestNodes.OPERATOR, TestNodes.PASSWORD);
  }

  private static void line(BufferedWriter out, long millis) throws java.io.IOException {
    out.write(ISO.format(Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC)));
    out.write(" INFO [graph-host] call service=DPP op=get pharmacy=100200 vendor=V status=OK code=0 ms=40\n");
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) browser.close();
    if (agent != null) agent.close().await();
    if (node != null) node.closeBlocking();
  }

  private HeadlessChromium.Tab graph(String query) throws Exception {
    HeadlessChromium.Tab tab = browser.open("http://127.0.0.1:" + node.port() + "/graph.html?" + query, 1280, 900, false);
    tab.waitFor("the graph and its legend", "!!document.querySelector('#graph canvas') && !!document.querySelector('#legend td.max')",
        Duration.ofSeconds(30));
    return tab;
  }

  private static double legend(HeadlessChromium.Tab tab, String series, String cell) throws Exception {
    return Double.parseDouble(String.valueOf(tab.eval("document.querySelector('#legend tr[data-series=" + series + "] td." + cell + "').dataset.value")));
  }

  @Test
  @Timeout(180)
  @DisplayName("the plateau reads 120 calls/min at 1h, 1d, 1w and in a zoomed window; the axis and legend say calls/min")
  void sameRateAtEveryRange() throws Exception {
    Map<String, Long> steps = Map.of("range=1h", 10L, "range=1d", 60L, "range=1w", 600L,
        "range=1d&from=" + (plateauStart - 1200) + "&to=" + (plateauEnd + 300), 10L);
    for (Map.Entry<String, Long> e : steps.entrySet()) {
      HeadlessChromium.Tab tab = graph("s=DPP.calls&overlay=&" + e.getKey());
      assertEquals(String.valueOf(e.getValue()), tab.eval("document.getElementById('graph').dataset.step"), e.getKey());
      assertEquals("calls/min", tab.eval("document.getElementById('graph').dataset.unit"), e.getKey());
      assertEquals(PEAK_PER_MIN, legend(tab, "main", "max"), 0.5, e.getKey() + ": the plateau's rate");
      assertTrue(String.valueOf(tab.eval("document.querySelector('#legend tr[data-series=main] td.max').textContent")).contains("calls/min"));
      assertTrue(legend(tab, "main", "avg") > 0 && !Double.isNaN(legend(tab, "main", "cur")), e.getKey());
      assertEquals(Boolean.TRUE, tab.eval("document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scroll");
      if (e.getKey().equals("range=1w")) tab.screenshot(WallboardBrowserTest.SCREENSHOTS.resolve("graph-week.png"));
    }
    HeadlessChromium.Tab perSecond = graph("s=DPP.calls&overlay=&range=1h&per=s");
    assertEquals(PEAK_PER_MIN / 60, legend(perSecond, "main", "max"), 0.01, "the same plateau in calls/s");
  }

  @Test
  @Timeout(180)
  @DisplayName("the overlay is drawn at the main series' step at 1h and 1d, with its own legend line")
  void overlayOnTheMainGrid() throws Exception {
    for (String q : List.of("range=1h&overlay=1d", "range=1d&overlay=1w")) {
      HeadlessChromium.Tab tab = graph("s=DPP.calls&" + q);
      tab.waitFor("an overlay", "document.getElementById('graph').dataset.lines === '2'", Duration.ofSeconds(10));
      assertEquals(tab.eval("document.getElementById('graph').dataset.step"), tab.eval("document.getElementById('graph').dataset.overlayStep"), q);
      assertTrue(Integer.parseInt(String.valueOf(tab.eval("document.getElementById('graph').dataset.overlayPoints"))) > 10, q);
      assertEquals(6.0, legend(tab, "overlay", "avg"), 0.6, q + ": the overlay reads the steady 6 calls/min of earlier days");
      if (q.startsWith("range=1h")) tab.screenshot(WallboardBrowserTest.SCREENSHOTS.resolve("graph.png"));
    }
  }

  @Test
  @Timeout(180)
  @DisplayName("before history starts the graph has a gap, not a zero, and the page says where history starts")
  void gapBeforeHistory() throws Exception {
    // the month ends at the plateau, inside the written history: rows after the file's last line are
    // (rightly) zero calls once ten minutes have passed, which a slow run reaches
    HeadlessChromium.Tab tab = graph("s=DPP.calls&overlay=&range=1M&from=" + (plateauEnd - 30 * 86400) + "&to=" + plateauEnd);
    assertTrue(Integer.parseInt(String.valueOf(tab.eval("document.getElementById('graph').dataset.gaps"))) > 1000, "three weeks of nothing");
    assertEquals(Boolean.FALSE, tab.eval("document.getElementById('history-note').hidden"));
    assertTrue(String.valueOf(tab.eval("document.getElementById('history-note').textContent")).startsWith("History starts"));
    assertTrue(legend(tab, "main", "min") > 0, "the gap is not drawn as zero calls");
    tab.screenshot(WallboardBrowserTest.SCREENSHOTS.resolve("graph-month-gap.png"));
    HeadlessChromium.Tab errors = graph("s=DPP.errors&overlay=1d&range=1h");
    assertEquals("6", errors.eval("document.getElementById('graph').dataset.lines"), "five codes stacked and the overlay");
    HeadlessChromium.Tab phone = browser.open("http://127.0.0.1:" + node.port() + "/graph.html?s=DPP.calls&range=1h&overlay=1d", 390, 844, true);
    phone.waitFor("the drill-down", "!!document.querySelector('#vendors td')", Duration.ofSeconds(30));
    assertTrue((Boolean) phone.eval("document.documentElement.scrollWidth <= 390"), "no page-wide horizontal scroll at 390 px");
    assertEquals(Boolean.TRUE, phone.eval("[...document.querySelectorAll('td,th')].every(c => getComputedStyle(c).whiteSpace === 'nowrap')"),
        "no table cell breaks a word");
    assertEquals(Boolean.FALSE, phone.eval("[...document.querySelectorAll('#codes td')].some(c => c.textContent === 'calls')"),
        "the error-code table holds codes only");
    phone.screenshot(WallboardBrowserTest.SCREENSHOTS.resolve("phone-graph.png"));
  }

  @Test
  @Timeout(60)
  @DisplayName("graph.png draws the same day as the page: calls/min, the overlay, the legend")
  void pngOfTheDay() throws Exception {
    var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
        "http://127.0.0.1:" + node.port() + "/graph.png?s=DPP.calls&range=1d&overlay=1w&width=900&height=340"))
        .header("cookie", TestNodes.login(node.port(), TestNodes.OPERATOR, TestNodes.PASSWORD)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(r.body()));
    assertEquals(900, img.getWidth());
    boolean orange = false;
    for (int x = 0; x < img.getWidth() && !orange; x++) {
      for (int y = 0; y < img.getHeight() && !orange; y++) orange = img.getRGB(x, y) == PngChart.OVERLAY.getRGB();
    }
    assertTrue(orange, "the overlay is drawn in its colour");
    Files.createDirectories(WallboardBrowserTest.SCREENSHOTS);
    Files.write(WallboardBrowserTest.SCREENSHOTS.resolve("graph-image.png"), r.body());
  }
}
