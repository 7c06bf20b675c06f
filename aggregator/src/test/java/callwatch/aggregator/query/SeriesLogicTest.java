package callwatch.aggregator.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.aggregator.store.Source;
import callwatch.common.model.Metrics;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure parts of the series answers, on tables. */
class SeriesLogicTest {
  private static final long NOW = 1_800_000_000L;

  @ParameterizedTest(name = "{0} s back, {1} s long, wanted {2} -> step {3}")
  @CsvSource({
      "3600, 3600, 0, 10",          // the last hour: 10 s slots
      "86400, 86400, 0, 60",        // a day: 8,640 slots would pass the cap, minutes do not
      "604800, 604800, 0, 600",     // a week: 10 min
      "2592000, 2592000, 0, 600",   // 30 days: 4,320 points of 10 min
      "31536000, 31536000, 0, 7200",// a year: hours would be 8,760 points
      "172800, 3600, 0, 60",        // an hour two days back: the 10 s archive is gone
      "3600, 3600, 60, 60",         // an overlay asks for its main series' step
      "2592000, 3600, 10, 10",      // ... even where only coarser rows are left
      "630720000, 630720000, 0, 172800", // 20 years: 2-day steps, under the cap
  })
  void stepChoice(long back, long span, long wanted, long step) {
    assertEquals(step, Steps.choose(NOW - back, NOW - back + span, wanted, NOW));
  }

  @ParameterizedTest(name = "from {0} s back, step {1} -> read the {2} s archive")
  @CsvSource({"3600, 10, 10", "3600, 60, 60", "3600, 7200, 3600", "172800, 60, 60", "172800, 10, 60", "5000000, 600, 600",
      "5000000, 60, 600", "20000000, 600, 3600"})
  void archiveChoice(long back, long step, long archive) {
    assertEquals(archive, Steps.archiveFor(NOW - back, step, NOW));
  }

  @ParameterizedTest(name = "{0}..{1} step {2}: {3}")
  @CsvSource(delimiter = '|', value = {
      "0|3600|7|multiple of 10",
      "0|31536000|10|the limit is 5000 points",
      "0|3600|40000000|the limit is 31622400",
      "0|700000000|0|the limit is 20 years",
      "10|10|0|'from' must be before 'to'"})
  void stepLimits(long from, long to, long wanted, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Steps.choose(NOW - 700_000_000L + from,
        NOW - 700_000_000L + to, wanted, NOW));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  private static double[] calls(double n) {
    double[] v = new double[Metrics.SIZE];
    v[Metrics.CALLS] = n;
    return v;
  }

  @Test
  @DisplayName("an hourly bucket spread over 10 s steps keeps its rate and its total; unknown stays unknown")
  void spreadKeepsRateAndTotal() {
    Rebucket.Grid hourly = Rebucket.Grid.empty(0, 3600, 3);
    hourly.add(0, calls(360));
    hourly.add(7200, calls(720));
    Rebucket.Grid fine = Rebucket.resample(hourly, 1800, 10, 720);
    double total = 0;
    for (double[] v : fine.vectors()) total += v[Metrics.CALLS];
    assertEquals(180 + 0 + 360, total, 1e-9, "half of the first hour, the unknown second, half of the third");
    assertEquals(1.0, fine.vectors()[0][Metrics.CALLS], 1e-9);
    assertTrue(fine.known()[179]);
    assertFalse(fine.known()[180], "the second hour was never reported");
    assertEquals(2.0, fine.vectors()[719][Metrics.CALLS], 1e-9);
  }

  @Test
  @DisplayName("fine buckets summed into coarse ones are exact; an unaligned grid (a shifted overlay) shares by overlap")
  void sumsAndOverlaps() {
    Rebucket.Grid slots = Rebucket.Grid.empty(0, 10, 12);
    for (int i = 0; i < 12; i++) slots.add(i * 10L, calls(i));
    Rebucket.Grid minutes = Rebucket.resample(slots, 0, 60, 2);
    assertEquals(0 + 1 + 2 + 3 + 4 + 5, minutes.vectors()[0][Metrics.CALLS], 1e-9);
    assertEquals(6 + 7 + 8 + 9 + 10 + 11, minutes.vectors()[1][Metrics.CALLS], 1e-9);
    Rebucket.Grid shifted = Rebucket.resample(slots, 5, 10, 2);
    assertEquals(0.5 * 0 + 0.5 * 1, shifted.vectors()[0][Metrics.CALLS], 1e-9);
    assertEquals(0.5 * 1 + 0.5 * 2, shifted.vectors()[1][Metrics.CALLS], 1e-9);
    Rebucket.Grid g = Rebucket.Grid.empty(100, 10, 10);
    g.markKnown(125, 151);
    assertFalse(g.known()[1]);
    assertTrue(g.known()[2] && g.known()[3] && g.known()[4] && g.known()[5]);
    assertFalse(g.known()[6]);
  }

  @ParameterizedTest(name = "h25={0} h50={1} h100={2} max={3}: p{4} = {5}")
  @CsvSource({
      "100, 0, 0, 25, 0.5, 12.5",     // half way through the first bucket (0..25 ms)
      "100, 0, 0, 20, 0.95, 20",      // never above the largest latency seen
      "50, 50, 0, 50, 0.5, 25",       // exactly at a bucket edge
      "50, 50, 0, 50, 0.75, 37.5",    // half way through the second bucket (25..50)
      "0, 0, 10, 90, 0.95, 90",       // 50..100 at 95 %: 97.5 capped at the max 90
  })
  void interpolatedPercentiles(double h25, double h50, double h100, double max, double q, double expected) {
    double[] v = new double[Metrics.SIZE];
    v[Metrics.HISTOGRAM] = h25;
    v[Metrics.HISTOGRAM + 1] = h50;
    v[Metrics.HISTOGRAM + 2] = h100;
    v[Metrics.LATENCY_MAX] = max;
    assertEquals(expected, Metrics.percentileMs(v, q), 1e-9);
  }

  @ParameterizedTest(name = "{0} per {1} over {2} s = {3} {4}")
  @CsvSource({
      "DPP.calls, min, 10, 120, calls/min",
      "DPP.calls, min, 600, 2, calls/min",
      "DPP.calls, s, 60, 0.333333333, calls/s",
      "DPP.calls, step, 60, 20, calls per 60 s",
      "DPP.errors, min, 60, 5, errors/min",
      "DPP.errorrate, min, 60, 25, %",
      "DPP.errorrate, step, 60, 0.25, fraction",
      "DPP.latavg, min, 60, 30, ms",
  })
  void ratesAndUnits(String name, String per, long step, double expected, String unit) {
    double[] v = new double[Metrics.SIZE];
    v[Metrics.CALLS] = 20;
    v[Metrics.ERROR] = 4;
    v[Metrics.TIMEOUT] = 1;
    v[Metrics.LATENCY_SUM] = 600;
    SeriesSpec spec = SeriesSpec.parse(name, null, null);
    SeriesSpec.Per p = SeriesSpec.Per.parse(per);
    assertEquals(expected, spec.display(v, step, p), 1e-6);
    assertEquals(unit, spec.unit(p, step));
  }

  @Test
  @DisplayName("the legend's current / average / max / min leave unknown points out")
  void legend() {
    LegendStats s = LegendStats.of(new double[] {Double.NaN, 4, 2, 9, 1, Double.NaN});
    assertEquals(1, s.current());
    assertEquals(4, s.average());
    assertEquals(9, s.max());
    assertEquals(1, s.min());
    assertTrue(Double.isNaN(LegendStats.of(new double[] {Double.NaN}).average()));
  }

  @Test
  @DisplayName("a typo in a service, op, host or agent is told apart from a quiet series, with the known names")
  void names() {
    Names n = Names.of(List.of(new Source("a1", "web-1", "DPP", "get"), new Source("a1", "web-1", "RECIPE", "put")));
    assertNull(n.explains(SeriesSpec.parse("DPP.get.calls", "web-1", "a1")));
    assertNull(n.explains(SeriesSpec.parse("*.get.calls", null, null)));
    assertEquals("unknown service 'DPX' (known: DPP, RECIPE)", n.explains(SeriesSpec.parse("DPX.calls", null, null)));
    assertEquals("unknown op 'put' of DPP (known: get)", n.explains(SeriesSpec.parse("DPP.put.calls", null, null)));
    assertEquals("unknown host 'web-2' (known: web-1)", n.explains(SeriesSpec.parse("DPP.calls", "web-2", null)));
    assertEquals("unknown agent 'a2' (known: a1)", n.explains(SeriesSpec.parse("DPP.calls", null, "a2")));
  }

  @Test
  @DisplayName("a name whose service or op holds a dot has every reading, first service A then A.B then A.B.C; no dot, one reading")
  void dottedNameReadings() {
    Object[][] table = {
        {"DPP.calls", List.of("DPP|null")},
        {"DPP.get.calls", List.of("DPP|get", "DPP.get|null")},
        {"eHealth.DPP.v1.read.p95", List.of("eHealth|DPP.v1.read", "eHealth.DPP|v1.read", "eHealth.DPP.v1|read", "eHealth.DPP.v1.read|null")},
        {"*.get.calls", List.of("null|get", "*.get|null")},
        {"*.calls", List.of("null|null")},
    };
    for (Object[] row : table) {
      List<String> readings = SeriesSpec.readings((String) row[0], "web-1", null).stream().map(r -> r.service() + "|" + r.op()).toList();
      assertEquals(row[1], readings, (String) row[0]);
    }
    for (String bad : new String[] {".hidden.calls", "DPP..calls", "DPP.", "calls", "DPP.get.nope"}) {
      assertThrows(IllegalArgumentException.class, () -> SeriesSpec.readings(bad, null, null), bad);
    }
  }
}
