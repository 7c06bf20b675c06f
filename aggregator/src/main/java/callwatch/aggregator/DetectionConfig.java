package callwatch.aggregator;

import callwatch.aggregator.detect.Holidays;
import callwatch.aggregator.detect.Rules;
import callwatch.common.config.ConfigSection;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code detection:} section of the aggregator's config: thresholds with the defaults of
 * {@link Rules#defaults()}, per-service overrides and maintenance windows (docs/detection.md).
 * Every problem names its key.
 */
final class DetectionConfig {
  private DetectionConfig() {}

  static Rules read(ConfigSection d) {
    Rules def = Rules.defaults();
    ZoneId zone = def.zone();
    String zoneName = d.string("zone", def.zone().getId());
    try {
      zone = ZoneId.of(zoneName);
    } catch (DateTimeException e) {
      d.report("zone", "'" + zoneName + "' is not a time zone (e.g. Europe/Brussels)");
    }
    ConfigSection errors = d.section("errors");
    ConfigSection latency = d.section("latency");
    Rules.Jump err = jump(errors, def.errors());
    Rules.Jump lat = jump(latency, def.latency());
    Map<String, Rules.ServiceRules> services = new LinkedHashMap<>();
    ConfigSection perService = d.section("services");
    for (String name : perService.keys()) {
      ConfigSection s = perService.section(name);
      services.put(name, new Rules.ServiceRules(
          s.has("stallThreshold") ? s.number("stallThreshold", 18, 5, 1000) : Double.NaN,
          s.has("dropThreshold") ? s.number("dropThreshold", 25, 5, 1000) : Double.NaN,
          s.bool("watch", true)));
      s.rejectUnknownKeys();
    }
    List<Rules.Maintenance> windows = new ArrayList<>();
    for (ConfigSection m : d.sections("maintenance")) windows.add(maintenance(m));
    Rules r = new Rules(
        d.number("stallThreshold", (long) def.stallThreshold(), 5, 1000),
        d.number("dropPercent", Math.round(def.dropRatio() * 100), 5, 90) / 100.0,
        d.number("dropThreshold", (long) def.dropThreshold(), 5, 1000),
        d.number("shareThreshold", (long) def.shareThreshold(), 5, 1000),
        err, lat,
        (int) d.number("windowSeconds", def.windowSeconds(), 10, 3600),
        d.number("hogCallsPerHour", (long) def.hogCallsPerHour(), 10, 1_000_000),
        d.number("hogPercentOfUsual", Math.round(def.hogFactor() * 100), 100, 10_000) / 100.0,
        d.number("noContractCalls", def.noContractCalls(), 1, 10_000),
        d.number("noContractPercent", Math.round(def.noContractShare() * 100), 1, 100) / 100.0,
        d.number("silentAgentSeconds", def.silentAgentSeconds(), 5, 3600),
        d.number("lateSeconds", def.lateSeconds(), 30, 86400),
        zone, services, windows,
        d.number("holdDownSeconds", def.holdDownSeconds(), 0, 3600),
        holidays(d));
    d.rejectUnknownKeys();
    return r;
  }

  /**
   * {@code holidays}: "BE" for Belgium's public holidays and dates (yyyy-MM-dd) of further ones;
   * by default ["BE"]; [] for none.
   */
  private static Holidays holidays(ConfigSection d) {
    boolean belgian = false;
    Set<LocalDate> dates = new LinkedHashSet<>();
    for (String h : d.strings("holidays", List.of("BE"))) {
      if (h.equalsIgnoreCase("BE")) {
        belgian = true;
        continue;
      }
      try {
        dates.add(LocalDate.parse(h));
      } catch (DateTimeException e) {
        d.report("holidays", "'" + h + "' is neither BE (Belgium's public holidays) nor a date (yyyy-MM-dd)");
      }
    }
    return belgian ? Holidays.belgianAnd(dates) : Holidays.only(dates);
  }

  private static Rules.Jump jump(ConfigSection j, Rules.Jump def) {
    Rules.Jump r = new Rules.Jump(j.number("minCalls", def.minCalls(), 1, 1_000_000), j.number("minHits", def.minHits(), 1, 1_000_000),
        j.number("factor", (long) def.factor(), 1, 100), j.number("marginPercent", Math.round(def.margin() * 100), 0, 100) / 100.0,
        j.number("threshold", (long) def.threshold(), 1, 1000));
    j.rejectUnknownKeys();
    return r;
  }

  private static Rules.Maintenance maintenance(ConfigSection m) {
    Set<String> services = new LinkedHashSet<>(m.strings("services", List.of()));
    if (services.isEmpty()) m.report("services", "names no service: a maintenance window holds back the alerts of the services it names");
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String day : m.strings("days", List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun"))) {
      DayOfWeek found = null;
      for (DayOfWeek d : DayOfWeek.values()) if (d.name().toLowerCase(Locale.ROOT).startsWith(day.toLowerCase(Locale.ROOT)) && day.length() >= 3) found = d;
      if (found == null) m.report("days", "'" + day + "' is not a day (mon, tue, ... sun)");
      else days.add(found);
    }
    Rules.Maintenance w = new Rules.Maintenance(services, days, time(m, "from"), time(m, "to"));
    m.rejectUnknownKeys();
    return w;
  }

  private static LocalTime time(ConfigSection m, String key) {
    String v = m.string(key, null);
    if (v == null) {
      m.report(key, "is needed (local time, HH:mm)");
      return LocalTime.MIDNIGHT;
    }
    try {
      return LocalTime.parse(v);
    } catch (DateTimeException e) {
      m.report(key, "'" + v + "' is not a time of day (HH:mm)");
      return LocalTime.MIDNIGHT;
    }
  }
}
