package callwatch.aggregator.web;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import javax.imageio.ImageIO;

/**
 * Draws a series (and optionally its overlay) as a PNG for e-mails and chat, in the wallboard's
 * colours. Java2D, headless; pure apart from the image encoder.
 */
public final class PngChart {
  private static final Color BG = new Color(0x0d, 0x11, 0x17);
  private static final Color GRID = new Color(0x21, 0x26, 0x2d);
  private static final Color TEXT = new Color(0x8b, 0x94, 0x9e);
  private static final Color LINE = new Color(0x58, 0xa6, 0xff);
  private static final Color OVERLAY = new Color(210, 210, 210, 150);

  private PngChart() {}

  public static byte[] render(String title, long[] times, double[] values, double[] overlay, String overlayLabel,
                              int width, int height, ZoneId zone) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(BG);
    g.fillRect(0, 0, width, height);
    int left = 60, right = 15, top = 30, bottom = 30;
    int w = width - left - right, h = height - top - bottom;
    double max = 0;
    for (double v : values) if (!Double.isNaN(v)) max = Math.max(max, v);
    if (overlay != null) for (double v : overlay) if (!Double.isNaN(v)) max = Math.max(max, v);
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
    DateTimeFormatter fmt = DateTimeFormatter.ofPattern(times.length > 0 && times[times.length - 1] - times[0] > 2 * 86400 ? "MM-dd" : "HH:mm")
        .withZone(zone);
    for (int i = 0; i <= 4 && times.length > 1; i++) {
      int idx = (times.length - 1) * i / 4;
      int x = left + w * i / 4;
      g.setColor(TEXT);
      String label = fmt.format(Instant.ofEpochSecond(times[idx]));
      g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, top + h + 18);
    }
    if (overlay != null) draw(g, overlay, OVERLAY, new BasicStroke(1.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1, new float[] {5, 4}, 0), left, top, w, h, max);
    draw(g, values, LINE, new BasicStroke(2f), left, top, w, h, max);
    g.setColor(Color.WHITE);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, left, 20);
    if (overlay != null) {
      g.setColor(OVERLAY);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      g.drawString("- - " + overlayLabel, left + w - g.getFontMetrics().stringWidth("- - " + overlayLabel), 20);
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static void draw(Graphics2D g, double[] values, Color color, BasicStroke stroke, int left, int top, int w, int h, double max) {
    Path2D path = new Path2D.Double();
    boolean pen = false;
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        pen = false;
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

  private static String format(double v) {
    return v >= 1000 ? String.format("%.1fk", v / 1000) : v == Math.rint(v) ? String.valueOf((long) v) : String.format("%.2f", v);
  }
}
