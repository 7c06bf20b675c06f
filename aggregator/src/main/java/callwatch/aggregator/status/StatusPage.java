package callwatch.aggregator.status;

import static callwatch.aggregator.web.Html.escape;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The public status page rendered from a {@link StatusSnapshot}: HTML in one language (no script:
 * it refreshes itself every 30 s), JSON, and an Atom feed of the incidents. Everything an operator
 * wrote is escaped. Pure.
 */
public final class StatusPage {
  private final ZoneId zone;

  public StatusPage(ZoneId zone) {
    this.zone = zone;
  }

  public String html(StatusSnapshot s, String lang) {
    DateTimeFormatter when = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.forLanguageTag(lang)).withZone(zone);
    StringBuilder b = new StringBuilder("<!doctype html>\n<html lang=\"").append(lang).append("\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"refresh\" content=\"30\">\n")
        .append("<title>").append(escape(StatusText.word(lang, "title"))).append("</title>\n")
        .append("<link rel=\"stylesheet\" href=\"/status.css\">\n")
        .append("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/status/feed.atom\">\n</head>\n<body>\n<header><h1>")
        .append(escape(StatusText.word(lang, "title"))).append("</h1><nav>");
    for (String l : StatusText.LANGUAGES) {
      b.append(l.equals(lang) ? "<b>" + l.toUpperCase(Locale.ROOT) + "</b> " : "<a href=\"/status?lang=" + l + "\" hreflang=\"" + l + "\">"
          + l.toUpperCase(Locale.ROOT) + "</a> ");
    }
    b.append("</nav></header>\n<main>\n");
    if (s.staleSince() > 0) {
      b.append("<p class=\"stale\">").append(escape(StatusText.word(lang, "stale"))).append(' ').append(when.format(Instant.ofEpochSecond(s.staleSince())))
          .append(".</p>\n");
    }
    b.append("<ul class=\"services\">\n");
    for (StatusSnapshot.Service svc : s.services()) {
      String message = message(svc.message(), lang, svc.state());
      b.append("<li class=\"service ").append(svc.state().key()).append("\" data-service=\"").append(escape(svc.name())).append("\" data-state=\"")
          .append(svc.state().key()).append("\">\n<div class=\"line\"><span class=\"name\">").append(escape(svc.name()))
          .append("</span><span class=\"state\">").append(escape(StatusText.word(lang, svc.state().key()))).append("</span></div>\n")
          .append("<p class=\"message\">").append(escape(message)).append("</p>\n<div class=\"bar\" aria-hidden=\"true\">");
      for (Uptime.Day d : svc.days()) {
        String cls = d.uptime() == null ? "none" : d.uptime() >= 0.999 ? "up" : d.uptime() >= 0.95 ? "some" : "down";
        b.append("<i class=\"").append(cls).append("\" title=\"").append(d.date()).append(": ")
            .append(d.uptime() == null ? escape(StatusText.word(lang, "nodata")) : percent(d.uptime())).append("\"></i>");
      }
      b.append("</div>\n<p class=\"uptime\">").append(svc.uptime() == null ? escape(StatusText.word(lang, "nodata")) : percent(svc.uptime()))
          .append(' ').append(escape(StatusText.word(lang, "uptime"))).append("</p>\n</li>\n");
    }
    b.append("</ul>\n<h2>").append(escape(StatusText.word(lang, "incidents"))).append("</h2>\n");
    if (s.incidents().isEmpty()) b.append("<p>").append(escape(StatusText.word(lang, "none"))).append("</p>\n");
    b.append("<ol class=\"incidents\">\n");
    for (StatusSnapshot.Incident i : s.incidents()) {
      b.append("<li data-incident=\"").append(escape(i.id())).append("\"><b>").append(escape(String.join(", ", i.services()))).append("</b> — ")
          .append(escape(StatusText.word(lang, i.state().key()))).append("<br>").append(when.format(Instant.ofEpochSecond(i.openedAt()))).append(" → ")
          .append(i.closedAt() > 0 ? when.format(Instant.ofEpochSecond(i.closedAt())) + " (" + escape(StatusText.word(lang, "duration")) + " "
              + duration(i.closedAt() - i.openedAt()) + ")" : escape(StatusText.word(lang, "ongoing")))
          .append("<br><span class=\"message\">").append(escape(message(i.message(), lang, i.state()))).append("</span></li>\n");
    }
    b.append("</ol>\n<p class=\"note\">").append(escape(StatusText.word(lang, "weights"))).append("</p>\n<p class=\"note\">")
        .append(escape(StatusText.word(lang, "updated"))).append(' ').append(when.format(Instant.ofEpochSecond(s.updatedAt())))
        .append(" · <a href=\"/status.json\">JSON</a> · <a href=\"/status/feed.atom\">Atom</a></p>\n</main>\n</body>\n</html>\n");
    return b.toString();
  }

  public JsonObject json(StatusSnapshot s) {
    JsonArray services = new JsonArray();
    for (StatusSnapshot.Service svc : s.services()) {
      JsonArray days = new JsonArray();
      for (Uptime.Day d : svc.days()) days.add(new JsonObject().put("date", d.date().toString()).put("uptime", d.uptime()));
      services.add(new JsonObject().put("service", svc.name()).put("state", svc.state().key()).put("message", messages(svc.message(), svc.state()))
          .put("uptime", svc.uptime()).put("days", days));
    }
    JsonArray incidents = new JsonArray();
    for (StatusSnapshot.Incident i : s.incidents()) {
      incidents.add(new JsonObject().put("id", i.id()).put("services", new JsonArray(i.services()))
          .put("openedAt", i.openedAt()).put("closedAt", i.closedAt() > 0 ? i.closedAt() : null).put("state", i.state().key())
          .put("message", messages(i.message(), i.state())));
    }
    return new JsonObject().put("updatedAt", s.updatedAt()).put("staleSince", s.staleSince() > 0 ? s.staleSince() : null)
        .put("weights", new JsonObject().put("major_outage", PublicState.MAJOR_OUTAGE.downWeight).put("partial_outage", PublicState.PARTIAL_OUTAGE.downWeight)
            .put("degraded", PublicState.DEGRADED.downWeight).put("maintenance", "left out"))
        .put("services", services).put("incidents", incidents);
  }

  /** The feed as XML readers take it: an operator's message may hold characters XML cannot carry ({@link XmlText}). */
  public String atom(StatusSnapshot s) {
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n")
        .append("<title>").append(escape(StatusText.word("en", "title"))).append("</title>\n<id>urn:callwatch:status</id>\n")
        .append("<link href=\"/status\"/>\n<updated>").append(Instant.ofEpochSecond(s.updatedAt())).append("</updated>\n");
    for (StatusSnapshot.Incident i : s.incidents()) {
      long updated = Math.max(i.openedAt(), i.closedAt());
      b.append("<entry>\n<id>urn:callwatch:incident:").append(escape(XmlText.legal(i.id()))).append("</id>\n<title>")
          .append(escape(XmlText.legal(String.join(", ", i.services()) + ": " + StatusText.word("en", i.state().key()))))
          .append(i.closedAt() > 0 ? " (over)" : "").append("</title>\n<updated>").append(Instant.ofEpochSecond(updated)).append("</updated>\n")
          .append("<link href=\"/status\"/>\n<summary>").append(escape(XmlText.legal(String.join(", ", i.services()) + ": " + message(i.message(), "en", i.state()))))
          .append("</summary>\n</entry>\n");
    }
    return b.append("</feed>\n").toString();
  }

  /** The operator's message in this language, else in another, else the state's own words. */
  static String message(java.util.Map<String, String> message, String lang, PublicState state) {
    String own = message.get(lang);
    if (own != null && !own.isBlank()) return own;
    for (String l : StatusText.LANGUAGES) {
      String other = message.get(l);
      if (other != null && !other.isBlank()) return StatusText.word(lang, "msg." + state.key()) + " (" + other + ")";
    }
    return StatusText.word(lang, "msg." + state.key());
  }

  private static JsonObject messages(java.util.Map<String, String> message, PublicState state) {
    JsonObject o = new JsonObject();
    for (String l : StatusText.LANGUAGES) o.put(l, message(message, l, state));
    return o;
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.2f %%", 100 * share);
  }

  static String duration(long seconds) {
    return seconds < 3600 ? Math.max(1, seconds / 60) + " min" : seconds / 3600 + " h " + (seconds % 3600) / 60 + " min";
  }
}
