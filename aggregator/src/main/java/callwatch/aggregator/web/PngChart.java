package callwatch.aggregator.web;

import callwatch.aggregator.query.LegendStats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws a series (and optionally its overlay, already on the same times) as a PNG for e-mails and
 * chat, the way the graph page shows it: the unit on the axis, 24-hour times, gaps where nothing
 * was reported, and a legend with current / average / maximum / minimum like RRDtool's GPRINT.
 * Java2D, headless; pure apart from the image encoder.
 */
public final class PngChart {
  public static final int MAX_WIDTH = 4000;
  public static final int MAX_HEIGHT = 3000;
  private static final Color BG = new Color(0x0d, 0x11, 0x17);
  private static final Color GRID = new Color(0x21, 0x26, 0x2d);
  private static final Color TEXT = new Color(0x8b, 0x94, 0x9e);
  static final Color LINE = new Color(0x58, 0xa6, 0xff);
  /** Orange against the blue line: told apart also by most colour-blind readers. */
  static final Color OVERLAY = new Color(0xf0, 0x88, 0x3e);

  private PngChart() {}

  /** What to draw: the values are already what is shown (rates, %, ms), NaN where unknown. */
  public record Chart(String name, String unit, long[] times, double[] values, double[] overlay, String overlayLabel,
                      long totalCalls, long totalErrors, Long historyStart) {}

  public static String overlayLabel(String shift) {
    return switch (shift) {
      case "1d" -> "a day earlier";
      case "1w" -> "a week earlier";
      case "1M" -> "30 days earlier";
      case "1y" -> "a year earlier";
      default -> shift + " earlier";
    };
  }

  public static byte[] render(Chart c, int width, int height, ZoneId zone) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(BG);
    g.fillRect(0, 0, width, height);
    int legendLines = c.overlay() == null ? 1 : 2;
    int left = 64, right = 15, top = 30, bottom = 30 + 16 * legendLines;
    int w = width - left - right, h = Math.max(10, height - top - bottom);
    double max = 0;
    for (double v : c.values()) if (!Double.isNaN(v)) max = Math.max(max, v);
    if (c.overlay() != null) for (double v : c.overlay()) if (!Double.isNaN(v)) max = Math.max(max, v);
    max = max <= 0 ? 1 : niceCeiling(max);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    for (int i = 0; i <= 4; i++) {
      int y = top + h - i * h / 4;
      g.setColor(GRID);
      g.drawLine(left, y, left + w, y);
      g.setColor(TEXT);
      String label = format(max * i / 4);
      g.drawString(label, left - 6 - g.getFontMetrics().stringWidth(label), y + 4);
    }
    long[] times = c.times();
    boolean days = times.length > 0 && times[times.length - 1] - times[0] > 2 * 86400;
    DateTimeFormatter fmt = DateTimeFormatter.ofPattern(days ? "dd/MM" : "HH:mm").withZone(zone);
    for (int i = 0; i <= 4 && times.length > 1; i++) {
      int idx = (times.length - 1) * i / 4;
      int x = left + w * i / 4;
      String label = fmt.format(Instant.ofEpochSecond(times[idx]));
      g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, top + h + 16);
    }
    if (c.historyStart() != null && times.length > 1 && c.historyStart() > times[0]) {
      int x = left + (int) ((double) w * (c.historyStart() - times[0]) / (times[times.length - 1] - times[0]));
      g.setColor(TEXT);
      g.drawLine(x, top, x, top + h);
      g.drawString("history starts " + DateTimeFormatter.ofPattern("dd/MM HH:mm").withZone(zone).format(Instant.ofEpochSecond(c.historyStart())),
          Math.min(x + 4, left + w - 150), top + 12);
    }
    if (c.overlay() != null) draw(g, c.overlay(), OVERLAY, new BasicStroke(1.5f), left, top, w, h, max);
    draw(g, c.values(), LINE, new BasicStroke(2f), left, top, w, h, max);
    g.setColor(Color.WHITE);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(c.name() + "  (" + c.unit() + ")", left, 20);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.setColor(TEXT);
    String totals = "window: " + whole(c.totalCalls()) + " calls, " + whole(c.totalErrors()) + " errors";
    g.drawString(totals, left + w - g.getFontMetrics().stringWidth(totals), 20);
    int y = top + h + 32;
    legend(g, LINE, "now", LegendStats.of(c.values()), c.unit(), left, y);
    if (c.overlay() != null) legend(g, OVERLAY, c.overlayLabel(), LegendStats.of(c.overlay()), c.unit(), left, y + 16);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static void legend(Graphics2D g, Color color, String label, LegendStats s, String unit, int x, int y) {
    g.setColor(color);
    g.fillRect(x, y - 9, 14, 4);
    g.setColor(TEXT);
    g.drawString(label + "   current " + format(s.current()) + "   average " + format(s.average()) + "   max " + format(s.max())
        + "   min " + format(s.min()) + "  " + unit, x + 20, y - 3);
  }

  private static void draw(Graphics2D g, double[] values, Color color, BasicStroke stroke, int left, int top, int w, int h, double max) {
    Path2D path = new Path2D.Double();
    boolean pen = false;
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        pen = false; // a gap: nobody reported there
        continue;
      }
      double x = left + (values.length == 1 ? 0 : (double) w * i / (values.length - 1));
      double y = top + h - values[i] / max * h;
      if (pen) path.lineTo(x, y);
      else path.moveTo(x, y);
      pen = true;
    }
    g.setColor(color);
    g.setStroke(stroke);
    g.draw(path);
  }

  static double niceCeiling(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * p >= v) return m * p;
    return 10 * p;
  }

  /** Numbers as the page shows them: at most two decimals, none when whole, digits grouped. */
  static String format(double v) {
    if (Double.isNaN(v)) return "–";
    NumberFormat f = NumberFormat.getNumberInstance(Locale.getDefault(Locale.Category.FORMAT));
    f.setMaximumFractionDigits(Math.abs(v) >= 100 || v == Math.rint(v) ? 0 : Math.abs(v) >= 10 ? 1 : 2);
    return f.format(v);
  }

  private static String whole(long v) {
    return NumberFormat.getIntegerInstance(Locale.getDefault(Locale.Category.FORMAT)).format(v);
  }
}
