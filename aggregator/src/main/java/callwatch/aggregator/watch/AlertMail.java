package callwatch.aggregator.watch;

import static callwatch.aggregator.web.Html.escape;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailMessage;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * An alert transition as an e-mail: plain text and HTML (everything from the alert escaped), with
 * the graph of its service around its time inlined as a PNG when one can be drawn.
 */
final class AlertMail {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private AlertMail() {}

  /**
   * {@code nowMillis}: when it is sent. A reminder says how long the alert has been firing: its
   * reason is the words of the moment it was called ("no DPP call for 14 s").
   */
  static MailMessage of(JsonObject payload, String from, List<String> to, java.util.function.Function<JsonObject, byte[]> graph,
                        long nowMillis) {
    JsonObject a = payload.getJsonObject("alert");
    String transition = payload.getString("transition");
    String subject = String.join(" ", a.getJsonObject("subject", new JsonObject()).getMap().values().stream().map(String::valueOf).toList());
    String title = "[callwatch] " + transition.toUpperCase(java.util.Locale.ROOT) + " " + a.getString("kind") + " " + subject;
    String since = TIME.format(Instant.ofEpochSecond(a.getLong("since", 0L)).atZone(ZoneId.systemDefault()));
    JsonObject ev = a.getJsonObject("evidence", new JsonObject());
    String still = transition.startsWith("reminder") && a.getLong("since") != null
        ? "Still firing and not acknowledged, " + callwatch.aggregator.detect.Durations.words(nowMillis / 1000 - a.getLong("since"))
            + " after it began. When it was called: "
        : "";
    String text = still + a.getString("reason", "") + "\n\nsince: " + since + "\nstate: " + transition
        + (a.getString("acknowledgedBy") != null ? " (acknowledged by " + a.getString("acknowledgedBy") + ": " + a.getString("note", "") + ")" : "")
        + "\nexpected: " + ev.getValue("expected") + ", observed: " + ev.getValue("observed") + " over " + ev.getValue("window") + " s"
        + "\nalert id: " + a.getString("id") + "\n";
    byte[] png = null;
    try {
      png = graph.apply(a);
    } catch (RuntimeException e) {
      // the mail goes without its picture
    }
    String html = "<html><body><h2>" + escape(title) + "</h2><p>" + escape(still + a.getString("reason", "")) + "</p><p>since " + escape(since)
        + "</p>" + (png != null ? "<p><img src=\"cid:graph\" alt=\"the graph around the alert\"></p>" : "")
        + "<p style=\"color:#666\">alert " + escape(a.getString("id")) + "</p></body></html>";
    MailMessage m = new MailMessage().setFrom(from).setTo(to).setSubject(title).setText(text).setHtml(html);
    if (png != null) {
      m.setInlineAttachment(List.of(MailAttachment.create().setData(Buffer.buffer(png)).setContentType("image/png")
          .setName("graph.png").setContentId("<graph>").setDisposition("inline")));
    }
    return m;
  }
}
