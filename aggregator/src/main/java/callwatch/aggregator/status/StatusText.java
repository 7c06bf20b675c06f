package callwatch.aggregator.status;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The public status page's words in French, Dutch and English, and the choice of language from a
 * browser's {@code Accept-Language}. Pure.
 */
public final class StatusText {
  public static final List<String> LANGUAGES = List.of("fr", "nl", "en");

  private static final Map<String, Map<String, String>> WORDS = Map.of(
      "fr", Map.ofEntries(
          Map.entry("title", "État des services e-santé pour les pharmacies"),
          Map.entry("operational", "Opérationnel"),
          Map.entry("degraded", "Performances dégradées"),
          Map.entry("partial_outage", "Panne partielle"),
          Map.entry("major_outage", "Panne majeure"),
          Map.entry("maintenance", "Maintenance"),
          Map.entry("msg.operational", "Le service fonctionne normalement."),
          Map.entry("msg.degraded", "Le service répond, mais plus lentement ou avec plus d'erreurs que d'habitude. Nous suivons la situation."),
          Map.entry("msg.partial_outage", "Une partie des appels échoue. Nous y travaillons ; inutile d'appeler le helpdesk."),
          Map.entry("msg.major_outage", "Le service ne répond pas. Le problème ne vient pas de votre pharmacie ; nous y travaillons."),
          Map.entry("msg.maintenance", "Maintenance planifiée : le service peut être indisponible."),
          Map.entry("incidents", "Incidents des 90 derniers jours"),
          Map.entry("none", "Aucun incident."),
          Map.entry("ongoing", "en cours"),
          Map.entry("uptime", "disponibilité sur 90 jours"),
          Map.entry("nodata", "pas de données"),
          Map.entry("updated", "Mis à jour"),
          Map.entry("stale", "Ces informations n'ont pas pu être actualisées depuis"),
          Map.entry("weights", "Une panne majeure compte comme indisponibilité complète, une panne partielle pour 30 %, des performances dégradées pour 0 ; la maintenance n'est pas comptée."),
          Map.entry("duration", "durée")),
      "nl", Map.ofEntries(
          Map.entry("title", "Status van de e-gezondheidsdiensten voor apotheken"),
          Map.entry("operational", "Operationeel"),
          Map.entry("degraded", "Verminderde prestaties"),
          Map.entry("partial_outage", "Gedeeltelijke storing"),
          Map.entry("major_outage", "Ernstige storing"),
          Map.entry("maintenance", "Onderhoud"),
          Map.entry("msg.operational", "De dienst werkt normaal."),
          Map.entry("msg.degraded", "De dienst antwoordt, maar trager of met meer fouten dan gewoonlijk. We volgen de situatie op."),
          Map.entry("msg.partial_outage", "Een deel van de oproepen mislukt. We werken eraan; u hoeft de helpdesk niet te bellen."),
          Map.entry("msg.major_outage", "De dienst antwoordt niet. Het probleem ligt niet bij uw apotheek; we werken eraan."),
          Map.entry("msg.maintenance", "Gepland onderhoud: de dienst kan onbeschikbaar zijn."),
          Map.entry("incidents", "Incidenten van de laatste 90 dagen"),
          Map.entry("none", "Geen incidenten."),
          Map.entry("ongoing", "lopend"),
          Map.entry("uptime", "beschikbaarheid over 90 dagen"),
          Map.entry("nodata", "geen gegevens"),
          Map.entry("updated", "Bijgewerkt"),
          Map.entry("stale", "Deze informatie kon niet meer worden bijgewerkt sinds"),
          Map.entry("weights", "Een ernstige storing telt als volledige onbeschikbaarheid, een gedeeltelijke storing voor 30 %, verminderde prestaties voor 0; onderhoud telt niet mee."),
          Map.entry("duration", "duur")),
      "en", Map.ofEntries(
          Map.entry("title", "Status of the e-health services for pharmacies"),
          Map.entry("operational", "Operational"),
          Map.entry("degraded", "Degraded performance"),
          Map.entry("partial_outage", "Partial outage"),
          Map.entry("major_outage", "Major outage"),
          Map.entry("maintenance", "Maintenance"),
          Map.entry("msg.operational", "The service works normally."),
          Map.entry("msg.degraded", "The service answers, but slower or with more errors than usual. We are watching it."),
          Map.entry("msg.partial_outage", "Some calls fail. We are working on it; there is no need to call the helpdesk."),
          Map.entry("msg.major_outage", "The service does not answer. The problem is not in your pharmacy; we are working on it."),
          Map.entry("msg.maintenance", "Planned maintenance: the service may be unavailable."),
          Map.entry("incidents", "Incidents of the last 90 days"),
          Map.entry("none", "No incidents."),
          Map.entry("ongoing", "ongoing"),
          Map.entry("uptime", "uptime over 90 days"),
          Map.entry("nodata", "no data"),
          Map.entry("updated", "Updated"),
          Map.entry("stale", "This information could not be refreshed since"),
          Map.entry("weights", "A major outage counts as fully down, a partial outage as 30 %, degraded performance as 0; maintenance is left out."),
          Map.entry("duration", "duration")));

  private StatusText() {}

  public static String word(String lang, String key) {
    return WORDS.getOrDefault(lang, WORDS.get("en")).getOrDefault(key, key);
  }

  /**
   * The language to answer in: {@code ?lang=} when it is one of ours, else the first of ours in
   * the browser's {@code Accept-Language} by its weights, else English.
   */
  public static String choose(String lang, String acceptLanguage) {
    if (lang != null && LANGUAGES.contains(lang)) return lang;
    if (acceptLanguage == null || acceptLanguage.isBlank()) return "en";
    String best = "en";
    double bestQ = -1;
    for (String part : acceptLanguage.split(",")) {
      // limit -1: ";;;" gives empty fields, not an empty array (any client may send such a header)
      String[] f = part.trim().split(";", -1);
      String tag = f[0].trim().toLowerCase(Locale.ROOT);
      String primary = tag.contains("-") ? tag.substring(0, tag.indexOf('-')) : tag;
      double q = 1;
      for (int i = 1; i < f.length; i++) {
        String p = f[i].trim();
        if (p.startsWith("q=")) {
          try {
            q = Double.parseDouble(p.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      if (LANGUAGES.contains(primary) && q > bestQ) {
        best = primary;
        bestQ = q;
      }
    }
    return best;
  }
}
