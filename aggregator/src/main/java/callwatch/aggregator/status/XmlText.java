package callwatch.aggregator.status;

/**
 * Text that XML 1.0 can carry: what an operator writes (a pasted terminal bell, a form feed, half of
 * an emoji cut by a client) reaches the journal and the public messages as JSON allows, and one such
 * character made the PDF export fail for good and the Atom feed unreadable. Pure.
 */
public final class XmlText {
  /** Shown in place of a character XML cannot carry. */
  static final char MARK = '\ufffd';

  private XmlText() {}

  /** {@code text} with every character XML 1.0 cannot carry (controls but tab and line ends, lone surrogates, U+FFFE/FFFF) as {@link #MARK}. */
  public static String legal(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
      boolean ok = pair || (!Character.isSurrogate(c) && (c >= 0x20 ? c < 0xfffe : c == '\t' || c == '\n' || c == '\r'));
      if (!ok && out == null) out = new StringBuilder(text.length()).append(text, 0, i);
      if (out != null) {
        out.append(ok ? c : MARK);
        if (pair) out.append(text.charAt(i + 1));
      }
      if (pair) i++;
    }
    return out == null ? text : out.toString();
  }
}
