package callwatch.aggregator.status;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * The journal's Markdown export as a PDF for the debriefing: the same text (hashes included, so
 * the printed copy can be compared with a fresh export), through CommonMark and openhtmltopdf.
 * Markup in what operators wrote is shown as text, never interpreted.
 */
public final class JournalPdf {
  /** A font with the accents and arrows of the journal, when the system has it (Debian: fonts-dejavu-core). */
  private static final Path FONT = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");

  private JournalPdf() {}

  public static byte[] of(String markdown) throws IOException {
    String body = HtmlRenderer.builder().escapeHtml(true).build().render(Parser.builder().build().parse(markdown));
    String html = "<html><head><meta charset=\"utf-8\"/><style>body{font-family:'journal',sans-serif;font-size:10pt}"
        + "code{font-size:7pt;word-wrap:break-word}blockquote{margin:0 0 0 1em}</style></head><body>" + body + "</body></html>";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PdfRendererBuilder b = new PdfRendererBuilder();
    b.useFastMode();
    if (Files.isReadable(FONT)) b.useFont(FONT.toFile(), "journal");
    b.withHtmlContent(html, null);
    b.toStream(out);
    b.run();
    return out.toByteArray();
  }
}
