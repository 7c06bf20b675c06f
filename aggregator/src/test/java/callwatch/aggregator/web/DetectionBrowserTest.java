package callwatch.aggregator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import callwatch.aggregator.AggregatorConfig;
import callwatch.aggregator.AggregatorNode;
import callwatch.aggregator.ServiceWriter;
import callwatch.aggregator.TestNodes;
import callwatch.aggregator.WatchedApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The wallboard's tiles as detection sets them, in a real headless chromium. */
class DetectionBrowserTest {
  private static final String SECRET = "browser-detect-1";
  @TempDir Path tmp;

  private static String state(String service) {
    return "(document.querySelector('.tile[data-service=\"" + service + "\"]') || {dataset: {}}).dataset.state";
  }

  @Test
  @Timeout(300)
  @DisplayName("a stalled service's tile turns to outage with its reason, the pop-up appears and leaves when acknowledged elsewhere;"
      + " the alerts page shows the stall, the graph shows it as a band, it is resolved on the page; the tile is ok when calls resume;"
      + " a lost connection makes every tile unknown")
  void tilesFollowDetection() throws Exception {
    AggregatorConfig cfg = TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 5989, List.of(), Map.of("tile-agent", SECRET));
    AggregatorNode node = TestNodes.start(cfg);
    WatchedApp app = WatchedApp.start(tmp, "tile-agent", SECRET, node.port());
    ServiceWriter writer = app.writer;
    try (HeadlessChromium browser = new HeadlessChromium(Files.createDirectories(tmp.resolve("chromium-profile")))) {
      browser.login("http://127.0.0.1:" + node.port(), TestNodes.OPERATOR, TestNodes.PASSWORD);
      HeadlessChromium.Tab tab = browser.open("http://127.0.0.1:" + node.port() + "/", 1920, 1080, false);
      tab.waitFor("DPP ok", state("DPP") + " === 'ok'", Duration.ofSeconds(120));
      tab.waitFor("the pop-up's sound button", "!!document.getElementById('cw-sound')", Duration.ofSeconds(10));
      tab.evalAsUser("document.getElementById('cw-sound').click(); true");
      assertEquals("true", tab.eval("document.getElementById('cw-sound').dataset.armed"), "sound armed by the click");
      // a second operator on another screen (a browser of its own)
      HeadlessChromium other = new HeadlessChromium(Files.createDirectories(tmp.resolve("chromium-other")));
      HeadlessChromium.Tab second;
      try {
        other.login("http://127.0.0.1:" + node.port(), TestNodes.OPERATOR, TestNodes.PASSWORD);
        second = other.open("http://127.0.0.1:" + node.port() + "/", 1280, 900, false);
        second.waitFor("connected", "document.body.dataset.connected === 'true'", Duration.ofSeconds(30));
      } catch (Exception | AssertionError e) {
        other.close();
        throw e;
      }
      writer.flowing.remove("DPP");
      tab.waitFor("DPP outage", state("DPP") + " === 'outage'", Duration.ofSeconds(60));
      tab.waitFor("the pop-up names the stall", "document.getElementById('cw-popup').dataset.count === '1' && !document.getElementById('cw-popup').hidden"
          + " && document.querySelector('#cw-popup li b').textContent === 'stall DPP'", Duration.ofSeconds(10));
      tab.waitFor("a sound played", "Number(document.getElementById('cw-popup').dataset.beeps || 0) >= 1", Duration.ofSeconds(10));
      assertEquals(true, ((String) tab.eval("document.querySelector('#cw-popup li a').getAttribute('href')")).startsWith("/graph.html?s=DPP.calls"),
          "a link to the graph at that time");
      tab.screenshot(WallboardBrowserTest.SCREENSHOTS.resolve("wallboard-popup.png"));
      second.waitFor("the pop-up on the second screen", "document.getElementById('cw-popup').dataset.count === '1'", Duration.ofSeconds(10));
      second.evalAsUser("document.querySelector('#cw-popup button.ack').click(); true");
      tab.waitFor("acknowledged on the other screen: the pop-up leaves the first", "document.getElementById('cw-popup').hidden",
          Duration.ofSeconds(15));
      other.close();
      String reason = (String) tab.eval("document.querySelector('.tile[data-service=\"DPP\"] .reason').textContent");
      assertEquals(true, reason.startsWith("no DPP call for "), reason);
      assertEquals("ok", tab.eval(state("RECIPE")), "RECIPE goes on");
      tab.screenshot(WallboardBrowserTest.SCREENSHOTS.resolve("wallboard-stall.png"));

      // the alerts page: the stall, acknowledged, with its evidence and changes; resolved there by hand with a note
      String base = "http://127.0.0.1:" + node.port();
      HeadlessChromium.Tab alerts = browser.open(base + "/alerts.html", 1600, 1000, false);
      String acknowledgedRow = "document.querySelector('#alerts tr[data-state=\"acknowledged\"]')";
      alerts.waitFor("the acknowledged stall on the alerts page", "!!" + acknowledgedRow + " && " + acknowledgedRow
          + ".textContent.includes('stall DPP')", Duration.ofSeconds(20));
      assertEquals(true, ((String) alerts.eval(acknowledgedRow + ".textContent")).contains("no DPP call for"), "the reason on the page");
      String graphLink = (String) alerts.eval(acknowledgedRow + ".querySelector('a').getAttribute('href')");
      alerts.screenshot(WallboardBrowserTest.SCREENSHOTS.resolve("alerts-page.png"));
      // the graph at the alert's time shows it as a band
      HeadlessChromium.Tab graph = browser.open(base + graphLink, 1400, 900, false);
      graph.waitFor("the alert as a band on the graph", "Number(document.getElementById('graph').dataset.alertBands || 0) >= 1",
          Duration.ofSeconds(30));
      assertEquals(true, ((String) graph.eval("document.getElementById('alert-bands').textContent")).contains("stall DPP"));
      graph.screenshot(WallboardBrowserTest.SCREENSHOTS.resolve("graph-alert-band.png"));
      alerts.evalAsUser("document.getElementById('note').value = 'DPP restarted by hand'; "
          + acknowledgedRow + ".querySelector('button.resolve').click(); true");
      alerts.waitFor("resolved by hand on the alerts page", "!!document.querySelector('#alerts tr[data-state=\"resolved\"]')"
          + " && document.querySelector('#alerts tr[data-state=\"resolved\"]').textContent.includes('DPP restarted by hand')",
          Duration.ofSeconds(20));

      // an incident from the alert: a note, the public message in French; the public sees it, logged out, in French and in Dutch
      alerts.evalAsUser("document.querySelector('#alerts tr[data-state=\"resolved\"] button.incident').click(); true");
      alerts.waitFor("the incident page of the new incident", "location.pathname === '/incidents.html' && !!document.getElementById('incident')"
          + " && !document.getElementById('incident').hidden && document.querySelectorAll('#entries li').length === 1", Duration.ofSeconds(20));
      alerts.evalAsUser("const f = document.getElementById('add-entry'); f.kind.value = 'decided'; f.text.value = 'restart the DPP proxy';"
          + " f.querySelector('button').click(); true");
      alerts.waitFor("the note in the journal", "document.querySelectorAll('#entries li').length === 2"
          + " && document.querySelector('#entries li[data-seq=\"2\"]').textContent.includes('restart the DPP proxy')", Duration.ofSeconds(20));
      alerts.evalAsUser("const p = document.getElementById('set-public'); p.state.value = 'major_outage';"
          + " p.fr.value = 'Le DPP ne répond plus : nous redémarrons le service.'; p.querySelector('button').click(); true");
      alerts.waitFor("the public message in the journal", "document.querySelectorAll('#entries li').length === 3", Duration.ofSeconds(20));
      alerts.screenshot(WallboardBrowserTest.SCREENSHOTS.resolve("incident-journal.png"));
      try (HeadlessChromium visitor = new HeadlessChromium(Files.createDirectories(tmp.resolve("chromium-visitor")))) {
        HeadlessChromium.Tab fr = visitor.open(base + "/status", 1000, 900, false, "fr-BE,fr;q=0.9");
        // a visitor reloads the page (it also reloads itself every 30 s): within seconds it says it
        String french = "document.documentElement.lang === 'fr' && document.body.textContent.includes('Le DPP ne répond plus')"
            + " && !!document.querySelector('li.service.major_outage[data-service=\"DPP\"]')";
        for (int i = 0; i < 10 && !Boolean.TRUE.equals(fr.evalQuietly(french)); i++) {
          Thread.sleep(1000);
          fr.navigate(base + "/status");
        }
        fr.waitFor("the French message on /status", french, Duration.ofSeconds(5));
        fr.screenshot(WallboardBrowserTest.SCREENSHOTS.resolve("status-fr.png"));
        HeadlessChromium.Tab nl = visitor.open(base + "/status", 1000, 900, false, "nl-BE");
        nl.waitFor("the page in Dutch", "document.documentElement.lang === 'nl' && document.body.textContent.includes('Ernstige storing')",
            Duration.ofSeconds(20));
        assertEquals(false, ((String) nl.eval("document.body.textContent")).contains("restart the DPP proxy"), "operators' notes stay inside");
      }
      // the incident on the graph, as a band of its own
      HeadlessChromium.Tab annotated = browser.open(base + graphLink, 1400, 900, false);
      annotated.waitFor("the incident on the graph", "document.getElementById('alert-bands').textContent.includes('incident stall DPP')",
          Duration.ofSeconds(30));
      writer.flowing.add("DPP");
      tab.waitFor("DPP ok again", state("DPP") + " === 'ok'", Duration.ofSeconds(60));
      node.closeBlocking();
      node = null;
      tab.waitFor("every tile unknown", "[...document.querySelectorAll('.tile')].every(t => t.dataset.state === 'unknown')",
          Duration.ofSeconds(30));
      assertEquals("connection to the aggregator lost",
          tab.eval("document.querySelector('.tile[data-service=\"DPP\"] .reason').textContent"));
    } finally {
      app.close();
      if (node != null) node.closeBlocking();
    }
  }
}
