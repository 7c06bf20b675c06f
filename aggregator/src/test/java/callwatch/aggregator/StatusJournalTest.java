package callwatch.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.aggregator.status.JournalExport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident journal and the public status page on two real members: what operators write,
 * what partners and the public see of it, and the page when the cluster's store is unavailable.
 */
class StatusJournalTest {
  private static final Pattern PHARMACY_ID = Pattern.compile("\\b\\d{6}\\b");
  private final Cleanup cleanup = new Cleanup();
  @TempDir Path tmp;

  @AfterEach
  void stop() {
    cleanup.runAll();
  }

  @Test
  @Timeout(300)
  @DisplayName("an incident's journal is append-only and its export checks; the public page shows its French and Dutch message"
      + " and no internal data; the page is served, marked stale, while the cluster's store is unavailable; the journal outlives"
      + " a restart of every member")
  void journalAndStatusPage() throws Exception {
    String cluster = TestNodes.uniqueClusterName();
    // a cluster of three of which two run: the majority is two, so one member alone cannot write
    List<String> members = List.of("127.0.0.1:5999", "127.0.0.1:6000", "127.0.0.1:6001");
    // the page names only the services the operators list: a stub that logs calls stays off it
    Map<String, Object> publicServices = Map.of("status", Map.of("services", List.of("RECIPE", "DPP")));
    AggregatorNode a = TestNodes.start(TestNodes.config(tmp.resolve("a"), cluster, 5999, members, Map.of(), publicServices));
    AggregatorNode b = TestNodes.start(TestNodes.config(tmp.resolve("b"), cluster, 6000, members, Map.of(), publicServices));
    boolean[] aClosed = {false};
    cleanup.add(() -> {
      if (!aClosed[0]) a.closeBlocking();
    });
    boolean[] bDead = {false};
    cleanup.add(() -> {
      if (!bDead[0]) b.closeBlocking();
    });
    int port = a.port();

    var opened = TestNodes.postAs(port, "/api/incidents", TestNodes.OPERATOR,
        new JsonObject().put("title", "RECIPE down on app07 for pharmacy 123456").put("services", new JsonArray().add("RECIPE")));
    assertEquals(201, opened.statusCode(), opened.body());
    String id = new JsonObject(opened.body()).getString("id");
    String entries = "/api/incidents/" + id + "/entries";
    var seen = TestNodes.postAs(port, entries, TestNodes.OPERATOR, new JsonObject().put("kind", "seen").put("internal", true)
        .put("text", "pharmacy 654321 on app07, vendor Corilus/4.2, 1234 calls refused"));
    assertEquals(201, seen.statusCode(), seen.body());
    var decided = TestNodes.postAs(port, entries, TestNodes.OPERATOR, new JsonObject().put("kind", "decided").put("text", "restart the RECIPE proxy"));
    assertEquals(201, decided.statusCode(), decided.body());
    var published = TestNodes.postAs(port, entries, TestNodes.OPERATOR, new JsonObject().put("kind", "public").put("state", "major_outage")
        .put("message", new JsonObject().put("fr", "Recip-e ne répond pas ; nous y travaillons.").put("nl", "Recip-e antwoordt niet; we werken eraan.")));
    assertEquals(201, published.statusCode(), published.body());
    var stub = TestNodes.postAs(port, "/api/incidents", TestNodes.OPERATOR,
        new JsonObject().put("title", "stub down").put("services", new JsonArray().add("STUB-INTERNAL")));
    String stubEntries = "/api/incidents/" + new JsonObject(stub.body()).getString("id") + "/entries";
    assertEquals(201, TestNodes.postAs(port, stubEntries, TestNodes.OPERATOR, new JsonObject().put("kind", "public")
        .put("state", "major_outage").put("message", new JsonObject().put("en", "the stub is down"))).statusCode());

    // append-only: no edit, no deletion, on any member
    for (String method : List.of("PUT", "PATCH", "DELETE")) {
      var refused = TestNodes.requestAs(b.port(), method, "/api/incidents/" + id, TestNodes.OPERATOR, new JsonObject().put("title", "nothing happened"));
      assertEquals(405, refused.statusCode(), method + ": " + refused.body());
      assertTrue(refused.body().contains("append-only"), refused.body());
    }
    var editEntry = TestNodes.postAs(port, entries + "/2", TestNodes.OPERATOR, new JsonObject().put("text", "nothing seen"));
    assertEquals(405, editEntry.statusCode(), editEntry.body());
    var badKind = TestNodes.postAs(port, entries, TestNodes.OPERATOR, new JsonObject().put("kind", "erase").put("text", "x"));
    assertEquals(400, badKind.statusCode());
    assertEquals(403, TestNodes.postAs(port, entries, TestNodes.PARTNER, new JsonObject().put("text", "x")).statusCode());

    // partners read it without the internal entry
    String partnerView = TestNodes.getAs(port, "/api/incidents", TestNodes.PARTNER).body();
    assertTrue(partnerView.contains("restart the RECIPE proxy"), partnerView);
    assertFalse(partnerView.contains("654321"), "no internal entry for partners: " + partnerView);

    // the export checks; changed afterwards, it does not
    String md = TestNodes.getAs(port, "/api/incidents/" + id + "/export.md", TestNodes.OPERATOR).body();
    assertTrue(md.contains("654321"), "the operators' export holds everything");
    assertEquals(List.of(), JournalExport.verify(md), md);
    assertFalse(JournalExport.verify(md.replace("restart the RECIPE proxy", "do nothing")).isEmpty(), "a tampered export fails the check");
    var pdf = TestNodes.getBytesAs(port, "/api/incidents/" + id + "/export.pdf", TestNodes.OPERATOR);
    assertEquals(200, pdf.statusCode());
    try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf.body())) {
      String text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
      assertTrue(text.contains("restart the RECIPE proxy") && text.contains("654321"), "the PDF holds the journal: " + text);
    }

    // the public page, in French and in Dutch, with nothing internal in it
    TestNodes.await("the public message on /status", Duration.ofSeconds(30), () ->
        TestNodes.getAnonymous(port, "/status", "Accept-Language", "fr-BE,fr;q=0.9").body().contains("Recip-e ne répond pas"));
    var fr = TestNodes.getAnonymous(port, "/status", "Accept-Language", "fr-BE,fr;q=0.9");
    assertEquals(200, fr.statusCode());
    assertTrue(fr.body().contains("<html lang=\"fr\">") && fr.body().contains("Panne majeure"), fr.body());
    TestNodes.await("the other member serves it too", Duration.ofSeconds(30), () ->
        TestNodes.getAnonymous(b.port(), "/status", "Accept-Language", "nl-BE").body().contains("Recip-e antwoordt niet"));
    var nl = TestNodes.getAnonymous(b.port(), "/status", "Accept-Language", "nl-BE");
    assertTrue(nl.body().contains("Recip-e antwoordt niet") && nl.body().contains("Ernstige storing"), "any member serves it: " + nl.body());
    var json = TestNodes.getAnonymous(port, "/status.json", "Accept", "application/json");
    var atom = TestNodes.getAnonymous(port, "/status/feed.atom", "Accept", "application/atom+xml");
    assertEquals(200, atom.statusCode());
    assertTrue(atom.body().contains("<feed") && atom.body().contains("urn:callwatch:incident:" + id), atom.body());
    for (var r : List.of(fr, nl, json, atom)) {
      String body = r.body();
      assertFalse(PHARMACY_ID.matcher(body).find(), "no pharmacy id: " + body);
      for (String internal : List.of("app07", "Corilus", "1234", "restart the RECIPE proxy", "test-operator", "STUB-INTERNAL", "the stub is down")) {
        assertFalse(body.contains(internal), "no internal data (" + internal + "): " + body);
      }
    }
    assertTrue(fr.headers().firstValue("cache-control").orElse("").contains("public"), "cacheable");

    // closed: the journal takes nothing more
    assertEquals(201, TestNodes.postAs(port, entries, TestNodes.OPERATOR, new JsonObject().put("kind", "closed").put("text", "over")).statusCode());
    assertEquals(409, TestNodes.postAs(port, entries, TestNodes.OPERATOR, new JsonObject().put("kind", "note").put("text", "late")).statusCode());

    // the cluster's store goes away (b dies: a alone is below the majority): the page is still served, and says it is stale
    bDead[0] = true;
    b.crashBlocking();
    TestNodes.await("the page says it is stale", Duration.ofSeconds(90), () -> {
      var r = TestNodes.getAnonymous(port, "/status", "Accept-Language", "en");
      return r.statusCode() == 200 && r.body().contains("class=\"stale\"");
    });
    var stale = TestNodes.getAnonymous(port, "/status", "Accept-Language", "en");
    assertTrue(stale.body().contains("data-service=\"RECIPE\""), "the last known states are still shown: " + stale.body());

    // every member stopped, then started again: the journal is still there, whole, and still checks
    aClosed[0] = true;
    a.closeBlocking();
    AggregatorNode a2 = TestNodes.start(TestNodes.config(tmp.resolve("a"), cluster, 5999, members, Map.of()));
    cleanup.add(a2::closeBlocking);
    AggregatorNode b2 = TestNodes.start(TestNodes.config(tmp.resolve("b"), cluster, 6000, members, Map.of()));
    cleanup.add(b2::closeBlocking);
    TestNodes.await("the journal back after a restart of every member", Duration.ofSeconds(120), () -> {
      var r = TestNodes.getAs(a2.port(), "/api/incidents/" + id, TestNodes.OPERATOR);
      return r.statusCode() == 200 && new JsonObject(r.body()).getJsonArray("entries").size() == 5;
    });
    String again = TestNodes.getAs(b2.port(), "/api/incidents/" + id + "/export.md", TestNodes.OPERATOR).body();
    assertEquals(List.of(), JournalExport.verify(again), again);
    assertTrue(again.contains("654321") && again.contains("restart the RECIPE proxy"), again);
  }

  @Test
  @Timeout(120)
  @DisplayName("a member restarted alone answers with the journal and the alerts from its first request: no empty journal while they are put back")
  void journalIsThereFromTheFirstRequest() {
    var cfg = TestNodes.config(tmp.resolve("alone"), TestNodes.uniqueClusterName(), 5863, List.of(), Map.of());
    AggregatorNode node = TestNodes.start(cfg);
    var opened = TestNodes.postAs(node.port(), "/api/incidents", TestNodes.OPERATOR,
        new JsonObject().put("title", "PCDH slow").put("services", new io.vertx.core.json.JsonArray().add("PCDH")));
    assertEquals(201, opened.statusCode(), opened.body());
    String id = new JsonObject(opened.body()).getString("id");
    TestNodes.await("the journal's copy on disk", Duration.ofSeconds(30), () -> {
      try {
        return java.nio.file.Files.readString(tmp.resolve("alone").resolve("incidents.json")).contains(id);
      } catch (java.io.IOException e) {
        return false;
      }
    });
    node.closeBlocking();
    AggregatorNode again = TestNodes.start(cfg);
    cleanup.add(again::closeBlocking);
    var r = TestNodes.getAs(again.port(), "/api/incidents/" + id, TestNodes.OPERATOR);
    assertEquals(200, r.statusCode(), "at once after the start: " + r.body());
  }
  @Test
  @Timeout(120)
  @DisplayName("an incident opened from a hog or silent-server alert shows partners neither the pharmacy nor the server; operators see both")
  void incidentFromAnAlertKeepsWhatPartnersMayNotSee() {
    String cluster = TestNodes.uniqueClusterName();
    AggregatorNode node = TestNodes.start(TestNodes.config(tmp.resolve("from-alert"), cluster, 5864, List.of(), Map.of()));
    cleanup.add(node::closeBlocking);
    var hz = com.hazelcast.core.Hazelcast.getAllHazelcastInstances().stream()
        .filter(h -> h.getConfig().getClusterName().equals(cluster)).findFirst().orElseThrow();
    var alerts = new callwatch.aggregator.watch.AlertStore(hz);
    var hog = new callwatch.aggregator.detect.Alert("hog", Map.of("vendor", "Corilus", "pharmacy", "471234"));
    hog.reason = "pharmacy 471234 (Corilus) calls about 1,400 times an hour";
    var silent = new callwatch.aggregator.detect.Alert("silent-host", Map.of("service", "DPP", "host", "dpp-srv-03"));
    silent.reason = "dpp-srv-03 has sent no DPP call for 60 s while its peers go on";
    for (var alert : List.of(hog, silent)) {
      alert.since = System.currentTimeMillis() / 1000 - 120;
      alert.firedAt = alert.since + 60;
      alert.id = alert.kind + "-" + alert.since;
      String alertId = alerts.putBlocking(alert).getString("id");
      var opened = TestNodes.postAs(node.port(), "/api/incidents", TestNodes.OPERATOR, new JsonObject().put("alert", alertId));
      assertEquals(201, opened.statusCode(), opened.body());
      String id = new JsonObject(opened.body()).getString("id");
      String secret = alert.kind.equals("hog") ? "471234" : "dpp-srv-03";
      for (String path : List.of("/api/incidents/" + id, "/api/incidents", "/api/incidents/" + id + "/export.md")) {
        var partner = TestNodes.getAs(node.port(), path, TestNodes.PARTNER);
        assertEquals(200, partner.statusCode(), path);
        assertFalse(partner.body().contains(secret), "a partner reads " + secret + " in " + path + ": " + partner.body());
        assertFalse(partner.body().contains(alertId), "a partner reads the alert's own id in " + path + ": " + partner.body());
      }
      assertTrue(TestNodes.getAs(node.port(), "/api/incidents/" + id, TestNodes.OPERATOR).body().contains(secret),
          "operators keep the alert's detail");
      // an alert's id is a hash of its subject: with its kind, vendor and time, a partner could try every pharmacy number
      String partnersAlerts = TestNodes.getAs(node.port(), "/api/alerts", TestNodes.PARTNER).body();
      assertFalse(partnersAlerts.contains(alertId), "a partner reads the alert's own id: " + partnersAlerts);
      var linked = new JsonObject(TestNodes.getAs(node.port(), "/api/incidents/" + id, TestNodes.PARTNER).body()).getJsonArray("alerts");
      assertTrue(partnersAlerts.contains("\"" + linked.getString(0) + "\""), "the incident names the alert as the partner's list does");
    }
  }
}
