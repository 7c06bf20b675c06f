package callwatch.aggregator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The journal's hash chain and export, the uptime arithmetic, the choice of language. */
class StatusLogicTest {
  static final ZoneId ZONE = ZoneId.of("Europe/Brussels");

  static List<JournalEntry> journal() {
    List<JournalEntry> chain = new ArrayList<>();
    chain.add(JournalChain.append(chain, 1_796_000_000L, "alice", "opened", "RECIPE stall", false, 0));
    chain.add(JournalChain.append(chain, 1_796_000_060L, "alice", "seen", "no prescription since 9:02; app07 restarting\nsecond line", true, 0));
    chain.add(JournalChain.append(chain, 1_796_000_120L, "bob", "decided", "call the partner's on-call", false, 0));
    chain.add(JournalChain.append(chain, 1_796_000_180L, "bob", "note", "it was 9:01, not 9:02", false, 2));
    return chain;
  }

  @Test
  @DisplayName("a journal's chain holds as written; an edit, a removal or a reordering breaks it")
  void chain() {
    List<JournalEntry> chain = journal();
    assertEquals(List.of(), JournalChain.verify(chain));
    List<JournalEntry> edited = new ArrayList<>(chain);
    JournalEntry e = edited.get(1);
    edited.set(1, new JournalEntry(e.seq(), e.at(), e.by(), e.kind(), "nothing seen", e.internal(), e.supersedes(), e.prevHash(), e.hash()));
    assertTrue(JournalChain.verify(edited).contains("entry 2 was changed after it was written"), JournalChain.verify(edited).toString());
    List<JournalEntry> removed = new ArrayList<>(chain);
    removed.remove(1);
    assertFalse(JournalChain.verify(removed).isEmpty());
  }

  @Test
  @DisplayName("a Markdown export checks out as written; a word changed, an entry taken out or the time moved fails the check")
  void export() {
    String md = JournalExport.markdown("RECIPE stall", List.of("services: RECIPE"), journal(), true);
    assertEquals(List.of(), JournalExport.verify(md), md);
    assertFalse(JournalExport.verify(md.replace("call the partner's on-call", "call nobody")).isEmpty(), "a word changed");
    String withoutThird = md.replaceAll("(?s)#### #3 .*?`\\n\\n", "");
    assertTrue(JournalExport.verify(withoutThird).stream().anyMatch(p -> p.contains("missing")), JournalExport.verify(withoutThird).toString());
    assertFalse(JournalExport.verify(md.replace("at:1796000120", "at:1796000125")).isEmpty(), "a time moved");
    // the partners' export: internal entries left out, what is left still checks, and says so
    String partner = JournalExport.markdown("RECIPE stall", List.of(), journal(), false);
    assertFalse(partner.contains("app07"), partner);
    assertEquals(List.of(), JournalExport.verify(partner));
  }

  @Test
  @DisplayName("uptime: a hand-computed day (2 h major outage, 1 h partial, 1 h maintenance) and the 90-day figure")
  void uptime() {
    LocalDate day = LocalDate.of(2026, 11, 24);
    long midnight = day.atStartOfDay(ZONE).toEpochSecond();
    List<Uptime.Change> h = List.of(
        new Uptime.Change(midnight - 86400, PublicState.OPERATIONAL),
        new Uptime.Change(midnight + 8 * 3600, PublicState.MAJOR_OUTAGE),      // 08:00–10:00 fully down
        new Uptime.Change(midnight + 10 * 3600, PublicState.PARTIAL_OUTAGE),   // 10:00–11:00 counts 30 %
        new Uptime.Change(midnight + 11 * 3600, PublicState.DEGRADED),         // 11:00–12:00 counts 0
        new Uptime.Change(midnight + 12 * 3600, PublicState.MAINTENANCE),      // 12:00–13:00 left out
        new Uptime.Change(midnight + 13 * 3600, PublicState.OPERATIONAL));
    long now = midnight + 86400 + 3600; // 01:00 the next day
    List<Uptime.Day> days = Uptime.days(h, now, 3, ZONE);
    assertEquals(day, days.get(1).date());
    // counted: 23 h; down: 2 h + 0.3 h
    assertEquals(1 - 2.3 / 23, days.get(1).uptime(), 1e-9);
    assertEquals(1.0, days.get(0).uptime(), 1e-9, "the day before: up all day");
    assertEquals(1.0, days.get(2).uptime(), 1e-9, "today so far");
    assertEquals(1 - 2.3 * 3600 / (24 * 3600 + 23 * 3600 + 3600), Uptime.overall(days), 1e-9);
    assertNull(Uptime.days(List.of(), now, 1, ZONE).get(0).uptime(), "no record: no figure, not 100 %");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "     | fr-BE,fr;q=0.9,en;q=0.8 | fr",
      "     | nl-BE                  | nl",
      "     | de-DE,nl;q=0.5,fr;q=0.4| nl",
      "     | de-DE                  | en",
      "     |                        | en",
      "fr   | nl-BE                  | fr",
      "xx   | nl                     | nl",
      // a header any client may send: never a 500 on the public page
      "     | ';;;,,,q=,*;q=abc'     | en",
      "     | ';'                    | en",
      "     | ';nl'                  | en",
      "     | 'nl;q=0.5,;;,fr;q=0.9' | fr",
      "     | 'fr;q=abc,nl;q=0.1'    | nl",
      "     | '-,--;q=1'             | en",
  })
  @DisplayName("the language: ?lang= when it is ours, else the browser's by its weights, else English")
  void language(String lang, String accept, String expected) {
    assertEquals(expected, StatusText.choose(lang, accept));
  }

  @Test
  @DisplayName("the public message: the operator's in the reader's language, else the state's own words with the one given")
  void message() {
    assertEquals("Le RECIPE est en panne", StatusPage.message(Map.of("fr", "Le RECIPE est en panne"), "fr", PublicState.MAJOR_OUTAGE));
    assertTrue(StatusPage.message(Map.of("fr", "Le RECIPE est en panne"), "nl", PublicState.MAJOR_OUTAGE).startsWith("De dienst antwoordt niet."));
    assertEquals(StatusText.word("en", "msg.operational"), StatusPage.message(Map.of(), "en", PublicState.OPERATIONAL));
  }

  @Test
  @DisplayName("a control character in an operator's public message leaves the Atom feed readable XML")
  void atomFeedStaysXmlWithAControlCharacterInAMessage() throws Exception {
    var incident = new StatusSnapshot.Incident("i-1", List.of("RECIPE"), 1_796_000_000L, 0, PublicState.MAJOR_OUTAGE,
        Map.of("en", "RECIPE\u0007 does not answer\ud83d"));
    String atom = new StatusPage(ZoneId.of("Europe/Brussels")).atom(new StatusSnapshot(List.of(), List.of(incident), 1_796_000_060L, 0));

    var feed = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new java.io.ByteArrayInputStream(atom.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    String summary = feed.getElementsByTagName("summary").item(0).getTextContent();
    assertEquals("RECIPE: RECIPE\ufffd does not answer\ufffd", summary);
  }

  @Test
  @DisplayName("the export's header of an incident without a public state says none, not null")
  void exportHeaderOfAnIncidentWithoutPublicState() {
    var incident = new io.vertx.core.json.JsonObject().put("id", "i-1").put("services", new io.vertx.core.json.JsonArray().add("DPP"))
        .put("openedAt", 1_796_000_000L).put("openedBy", "alice").put("publicState", (String) null);
    assertEquals(List.of("incident i-1", "services: DPP", "opened 2026-11-30T00:53:20Z by alice", "public state: none"),
        JournalExport.header(incident));
    incident.put("publicState", "major_outage").put("closedAt", 1_796_000_600L).put("closedBy", "bob");
    assertEquals(List.of("incident i-1", "services: DPP", "opened 2026-11-30T00:53:20Z by alice", "closed 2026-11-30T01:03:20Z by bob",
        "public state: major_outage"), JournalExport.header(incident));
  }
}
