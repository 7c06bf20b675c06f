package callwatch.aggregator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.aggregator.AggregatorConfig;
import callwatch.aggregator.AggregatorNode;
import callwatch.aggregator.TestNodes;
import callwatch.aggregator.demo.TrafficModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The pages in a real headless chromium, against a real aggregator fed by a real agent. */
class WallboardBrowserTest {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final String SECRET = "browser-secret-1";
  private final List<Runnable> cleanup = new ArrayList<>();
  private final AtomicBoolean writing = new AtomicBoolean(true);
  @TempDir Path tmp;
  private AggregatorConfig cfg;
  private AggregatorNode node;
  private HeadlessChromium browser;

  @BeforeEach
  void start() throws Exception {
    cfg = TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 5971, List.of(), Map.of("web-agent", SECRET));
    node = TestNodes.start(cfg);
    cfg = cfg.withHttpPort(node.port());
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    var agent = TestNodes.startAgent(TestNodes.agentJson("web-agent", SECRET, tmp.resolve("agent"), node.port(),
        new JsonArray().add(new JsonObject().put("glob", logs + "/*.log").put("format", "app"))).put("graceMillis", 2000));
    cleanup.add(() -> agent.close().await());
    TrafficModel model = new TrafficModel(3, 10);
    Thread writer = new Thread(() -> {
      try {
        while (writing.get()) {
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < 12; i++) sb.append(model.line(System.currentTimeMillis(), "app-01")).append('\n');
          Files.writeString(logs.resolve("app.log"), sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          Thread.sleep(200);
        }
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    writer.start();
    cleanup.add(() -> {
      writing.set(false);
      try {
        writer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    browser = new HeadlessChromium(Files.createDirectories(tmp.resolve("chromium-profile")));
    browser.login("http://127.0.0.1:" + node.port(), TestNodes.OPERATOR, TestNodes.PASSWORD);
    cleanup.add(() -> {
      try {
        browser.close();
      } catch (Exception e) {
        // the browser is gone either way
      }
    });
  }

  @AfterEach
  void stop() {
    for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).run();
    if (node != null) node.closeBlocking();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + node.port() + path;
  }

  @Test
  @Timeout(180)
  @DisplayName("the wallboard shows a tile per service, a new point arrives without reload, and nothing scrolls at 1920x1080")
  void wallboardIsLive() throws Exception {
    HeadlessChromium.Tab tab = browser.open(url("/"), 1920, 1080, false);
    tab.waitFor("a tile per service", "document.querySelectorAll('.tile').length >= 6", Duration.ofSeconds(30));
    for (String svc : TrafficModel.SERVICES) {
      assertEquals(Boolean.TRUE, tab.eval("!!document.querySelector('.tile[data-service=\"" + svc + "\"]')"), svc + " tile");
    }
    tab.waitFor("the DPP tile has calls", "Number(document.querySelector('.tile[data-service=\"DPP\"]').dataset.points) > 0",
        Duration.ofSeconds(30));
    tab.eval("window.__sameDocument = true; window.__points = Number(document.querySelector('.tile[data-service=\"DPP\"]').dataset.points)");
    tab.waitFor("a new point on the DPP tile", "Number(document.querySelector('.tile[data-service=\"DPP\"]').dataset.points) > window.__points",
        Duration.ofSeconds(40));
    assertEquals(Boolean.TRUE, tab.eval("window.__sameDocument === true"), "the point came over the socket, not by a reload");
    assertEquals(Boolean.TRUE, tab.eval("document.documentElement.scrollHeight <= window.innerHeight + 1"), "no vertical scroll");
    assertEquals(Boolean.TRUE, tab.eval("document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scroll");
    tab.screenshot(SCREENSHOTS.resolve("wallboard.png"));
  }

  @Test
  @Timeout(180)
  @DisplayName("the wallboard says when the connection is lost, and clears it when the aggregator is back")
  void connectionLostNotice() throws Exception {
    HeadlessChromium.Tab tab = browser.open(url("/"), 1920, 1080, false);
    tab.waitFor("connected", "document.body.dataset.connected === 'true'", Duration.ofSeconds(30));
    assertEquals(Boolean.TRUE, tab.eval("document.getElementById('lost').hidden"));
    node.closeBlocking();
    node = null;
    tab.waitFor("the connection-lost notice", "!document.getElementById('lost').hidden", Duration.ofSeconds(30));
    tab.screenshot(SCREENSHOTS.resolve("wallboard-connection-lost.png"));
    node = TestNodes.start(cfg);
    tab.waitFor("the notice cleared", "document.getElementById('lost').hidden && document.body.dataset.connected === 'true'",
        Duration.ofSeconds(60));
  }

  @Test
  @Timeout(180)
  @DisplayName("an account removed while its wallboard is open: the wallboard goes to the login page, it shows no more")
  void removedAccountLeavesTheWallboard() throws Exception {
    HeadlessChromium.Tab tab = browser.open(url("/"), 1920, 1080, false);
    tab.waitFor("connected", "document.body.dataset.connected === 'true'", Duration.ofSeconds(30));
    new callwatch.aggregator.auth.UserFile(cfg.usersFile()).removeBlocking(TestNodes.OPERATOR);
    tab.waitFor("the login page", "location.pathname === '/login.html'", Duration.ofSeconds(30));
  }

  @Test
  @Timeout(180)
  @DisplayName("on a phone (390 px wide) there is no horizontal scrolling")
  void phoneHasNoHorizontalScroll() throws Exception {
    HeadlessChromium.Tab tab = browser.open(url("/"), 390, 844, true);
    tab.waitFor("tiles", "document.querySelectorAll('.tile').length >= 6", Duration.ofSeconds(30));
    tab.waitFor("a drawn chart", "!!document.querySelector('.tile .uplot')", Duration.ofSeconds(30));
    assertTrue((Boolean) tab.eval("document.documentElement.scrollWidth <= 390"), "no horizontal scroll at 390 px");
    tab.screenshot(SCREENSHOTS.resolve("phone.png"));
  }

  @Test
  @Timeout(180)
  @DisplayName("a service whose name holds a dot has its tile, its graph by op, and its own drill-down")
  void dottedServiceName() throws Exception {
    // names come from the log lines: "eHealth.DPP" is a service, "v1.read" its op
    java.time.format.DateTimeFormatter iso = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      String at = iso.format(java.time.Instant.now().minusSeconds(i).atOffset(java.time.ZoneOffset.UTC));
      lines.append(at).append(" INFO [app-02] call service=eHealth.DPP op=v1.read pharmacy=100777 vendor=V status=OK code=0 ms=30\n");
    }
    Files.writeString(tmp.resolve("logs").resolve("ehealth.log"), lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    HeadlessChromium.Tab board = browser.open(url("/"), 1920, 1080, false);
    board.waitFor("the eHealth.DPP tile with its calls",
        "!!document.querySelector('.tile[data-service=\"eHealth.DPP\"]') && Number(document.querySelector('.tile[data-service=\"eHealth.DPP\"]').dataset.points) > 0",
        Duration.ofSeconds(60));
    HeadlessChromium.Tab tab = browser.open(url("/graph.html?s=eHealth.DPP.v1.read.calls&range=1h"), 1280, 900, false);
    tab.waitFor("the op's line drawn", "!!document.querySelector('#graph canvas') && document.getElementById('graph').dataset.lines >= '1'",
        Duration.ofSeconds(30));
    tab.waitFor("the drill-down of eHealth.DPP names its pharmacy",
        "!!document.querySelector('#top-calls tr:nth-child(2) td') && document.querySelector('#top-calls tr:nth-child(2) td').textContent === '100777'",
        Duration.ofSeconds(60));
  }

  @Test
  @Timeout(180)
  @DisplayName("the graph view draws the series and its overlay, and the drill-down names the pharmacy that called most")
  void graphViewOverlayAndDrillDown() throws Exception {
    HeadlessChromium.Tab tab = browser.open(url("/graph.html?s=DPP.calls&range=1h&overlay=1d"), 1280, 900, false);
    tab.waitFor("two lines drawn", "document.getElementById('graph').dataset.lines === '2' && !!document.querySelector('#graph canvas')",
        Duration.ofSeconds(30));
    assertEquals(Boolean.TRUE, tab.eval("location.search.includes('overlay=1d') && location.search.includes('s=DPP.calls')"),
        "the address holds the view");
    tab.waitFor("the drill-down names the hot pharmacy first",
        "!!document.querySelector('#top-calls tr:nth-child(2) td') && document.querySelector('#top-calls tr:nth-child(2) td').textContent === '"
            + TrafficModel.HOT_PHARMACY + "'", Duration.ofSeconds(60));
    HeadlessChromium.Tab phone = browser.open(url("/graph.html?s=DPP.calls&range=1h&overlay=1w"), 390, 844, true);
    phone.waitFor("a graph on the phone", "!!document.querySelector('#graph canvas')", Duration.ofSeconds(30));
    assertTrue((Boolean) phone.eval("document.documentElement.scrollWidth <= 390"), "no horizontal scroll at 390 px");
  }

  @Test
  @Timeout(120)
  @DisplayName("the agents page lists the agent with its host and figures")
  void agentsPage() throws Exception {
    HeadlessChromium.Tab tab = browser.open(url("/agents.html"), 1280, 800, false);
    tab.waitFor("the agent's row with its host", "!!document.querySelector('tr[data-agent=\"web-agent\"]')"
        + " && document.querySelector('tr[data-agent=\"web-agent\"] td:nth-child(2)').textContent === 'web-agent-host'",
        Duration.ofSeconds(30));
    assertEquals(Boolean.FALSE, tab.eval("document.querySelector('tr[data-agent=\"web-agent\"]').classList.contains('quiet')"),
        "a live agent does not stand out as quiet");
  }

  @Test
  @Timeout(120)
  @DisplayName("graph.png renders the graph as a PNG of the asked size; a bad request gets a 400 with the reason")
  void graphPng() throws Exception {
    TestNodes.await("some calls stored", Duration.ofSeconds(30),
        () -> TestNodes.total(node.port(), "*.calls", "from=-10m") > 0);
    var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(url("/graph.png?s=DPP.calls&range=1h&overlay=1w&width=640&height=240")))
        .header("cookie", TestNodes.login(node.port(), TestNodes.PARTNER, TestNodes.PASSWORD)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertEquals("image/png", r.headers().firstValue("content-type").orElse(""));
    java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(r.body()));
    assertEquals(640, img.getWidth());
    assertEquals(240, img.getHeight());
    var bad = TestNodes.getRaw(node.port(), "/graph.png?s=DPP.nonsense");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("unknown metric 'nonsense'"), bad.body());
    var badRange = TestNodes.getRaw(node.port(), "/api/series/DPP.calls?from=yesterday");
    assertEquals(400, badRange.statusCode());
    assertTrue(badRange.body().contains("'from' must be"), badRange.body());

  }
}
