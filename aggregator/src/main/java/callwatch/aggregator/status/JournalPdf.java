package callwatch.aggregator.status;

import com.openhtmltopdf.outputdevice.helper.ExternalResourceControlPriority;
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
 * Markup in what operators wrote, and in the alert reasons it quotes (vendor and host names come
 * from log lines), is shown as text, never interpreted: an image or a link is printed as written,
 * and the renderer loads nothing from outside (no request leaves the member for an export). A
 * character the renderer's XML cannot carry (a control character) is printed as a mark.
 */
public final class JournalPdf {
  /** A font with the accents and arrows of the journal, when the system has it (Debian: fonts-dejavu-core). */
  private static final Path FONT = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");

  /** Lines of the export that carry written text after their Markdown prefix: title, header, entry heads, entry text. */
  private static final String[] TEXT_PREFIXES = {"# ", "- ", "#### ", "> "};

  private JournalPdf() {}

  public static byte[] of(String markdown) throws IOException {
    String body = HtmlRenderer.builder().escapeHtml(true).build().render(Parser.builder().build().parse(printable(XmlText.legal(markdown))));
    String html = "<html><head><meta charset=\"utf-8\"/><style>body{font-family:'journal',sans-serif;font-size:10pt}"
        + "code{font-size:7pt;word-wrap:break-word}blockquote{margin:0 0 0 1em}</style></head><body>" + body + "</body></html>";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PdfRendererBuilder b = new PdfRendererBuilder();
    b.useFastMode();
    if (Files.isReadable(FONT)) b.useFont(FONT.toFile(), "journal");
    b.useExternalResourceAccessControl((uri, type) -> false, ExternalResourceControlPriority.RUN_BEFORE_RESOLVING_URI);
    b.useExternalResourceAccessControl((uri, type) -> false, ExternalResourceControlPriority.RUN_AFTER_RESOLVING_URI);
    b.withHtmlContent(html, null);
    b.toStream(out);
    b.run();
    return out.toByteArray();
  }

  /** The export with the written text of each line escaped, so that CommonMark shows it as it is. */
  static String printable(String markdown) {
    StringBuilder out = new StringBuilder(markdown.length() + 256);
    for (String line : markdown.split("\n", -1)) {
      String prefix = null;
      for (String p : TEXT_PREFIXES) if (line.startsWith(p)) prefix = p;
      out.append(prefix == null ? line : prefix + literal(line.substring(prefix.length()))).append('\n');
    }
    return out.substring(0, out.length() - 1);
  }

  /** Every ASCII punctuation character backslash-escaped: CommonMark reads "\\x" as the character x. */
  static String literal(String text) {
    StringBuilder b = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 128 && !Character.isLetterOrDigit(c) && c > ' ' && c != 127) b.append('\\');
      b.append(c);
    }
    return b.toString();
  }
}
