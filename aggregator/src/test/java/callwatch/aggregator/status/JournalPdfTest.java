package callwatch.aggregator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The PDF export of a journal whose text holds Markdown and HTML that point at a server: the text
 * comes from operators and from alerts (whose reasons carry vendor and host names from log lines),
 * so the renderer must fetch nothing and print the markup as it was written.
 */
class JournalPdfTest {
  @Test
  @DisplayName("images and links in a journal entry are printed as written, and the PDF renderer asks no server for anything")
  void markupInTheJournalIsTextAndFetchesNothing() throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      asked.add(exchange.getRequestURI().toString());
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    server.start();
    try {
      String at = "http://127.0.0.1:" + server.getAddress().getPort();
      String text = "vendor ![logo](" + at + "/md.png) and [the runbook](" + at + "/runbook)\n"
          + "<img src=\"" + at + "/html.png\"> <link rel=\"stylesheet\" href=\"" + at + "/style.css\">";
      List<JournalEntry> chain = new ArrayList<>();
      chain.add(JournalChain.append(chain, 1_796_000_000L, "alice", "opened", "hog {vendor=![v](" + at + "/title.png)}", false, 0));
      chain.add(JournalChain.append(chain, 1_796_000_060L, "alice", "seen", text, false, 0));
      String md = JournalExport.markdown("hog ![t](" + at + "/heading.png)", List.of("services: DPP"), chain, true);

      byte[] pdf = JournalPdf.of(md);

      assertEquals(List.of(), asked, "the renderer fetched from the server");
      try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
        String printed = new org.apache.pdfbox.text.PDFTextStripper().getText(doc).replaceAll("\\s+", " ");
        for (String literal : new String[] {"![logo](" + at + "/md.png)", "[the runbook](" + at + "/runbook)",
            "<img src=\"" + at + "/html.png\">", "![v](" + at + "/title.png)", "![t](" + at + "/heading.png)"}) {
          assertTrue(printed.contains(literal), "'" + literal + "' printed as written in: " + printed);
        }
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  @DisplayName("control characters and a broken surrogate in a journal entry are printed as a mark, and the PDF still renders")
  void charactersXmlCannotCarryArePrintedAsAMark() throws Exception {
    // an operator's paste (a terminal's bell, a form feed), or a half of an emoji cut by a client:
    // JSON carries them, so the journal keeps them; before, the export failed with a 500 for good
    String text = "bell\u0007 feed\f escape\u001b[0m half\ud83d end\u0000 back\ufffe";
    List<JournalEntry> chain = new ArrayList<>();
    chain.add(JournalChain.append(chain, 1_796_000_000L, "alice", "opened", "stall \u0007 DPP", false, 0));
    chain.add(JournalChain.append(chain, 1_796_000_060L, "alice", "seen", text, false, 0));
    String md = JournalExport.markdown("stall\u0007 DPP", List.of("services: DPP"), chain, true);

    byte[] pdf = JournalPdf.of(md);

    try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
      String printed = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
      for (String kept : new String[] {"bell\ufffd", "feed\ufffd", "escape\ufffd[0m", "half\ufffd", "back\ufffd"}) {
        assertTrue(printed.contains(kept), "'" + kept + "' printed in: " + printed);
      }
    }
  }
}
