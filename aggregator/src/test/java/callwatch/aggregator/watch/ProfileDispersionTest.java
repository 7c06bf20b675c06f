package callwatch.aggregator.watch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.aggregator.OneMemberStore;
import callwatch.aggregator.detect.Holidays;
import callwatch.common.model.Metrics;
import callwatch.common.protocol.SeriesRow;
import callwatch.common.protocol.SlotDelta;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile's dispersion, measured by the loader on the real files and cache (a Hazelcast member, rrd4j files). */
class ProfileDispersionTest {
  @TempDir Path tmp;

  @Test
  @DisplayName("six hours of a service whose calls come eight at a time give it a dispersion of about seven; single calls, about one")
  void bunchedCallsInTheFilesGiveTheirDispersion() throws Exception {
    try (OneMemberStore store = new OneMemberStore(tmp)) {
      check(store);
    }
  }

  private static void check(OneMemberStore store) throws java.io.IOException {
    long now = System.currentTimeMillis() / 1000;
    long start = Math.floorDiv(now - 7 * 3600, 600) * 600;
    long end = start + 6 * 3600;
    SplittableRandom random = new SplittableRandom(13);
    List<SlotDelta> slots = new ArrayList<>();
    for (long t = start; t < end; t += 10) {
      long bunched = 0, single = 0;
      for (int s = 0; s < 10; s++) {
        if (random.nextInt(8) == 0) bunched += 8; // eight calls with chance 1/8 a second: 1 call/s
        single += random.nextDouble() < 0.5 ? 1 : 0; // about Poisson at 0.5 calls/s (Bernoulli seconds: a little under)
      }
      slots.add(new SlotDelta(t, List.of(row("RECIPE", bunched), row("DPP", single))));
    }
    store.storeBlocking("a1", "app1", slots, end);
    for (int round = 0; round < 4; round++) store.writer.writeRoundBlocking(); // two hours a round

    ProfileLoader loader = new ProfileLoader(store.query(3000), ZoneId.of("Europe/Brussels"), Holidays.NONE);
    double bunched = loader.loadBlocking("RECIPE", end, now).dispersion();
    double single = loader.loadBlocking("DPP", end, now).dispersion();
    assertTrue(bunched > 6 && bunched < 8.5, "bunches of eight (variance 7 a second for a mean of 1): " + bunched);
    assertTrue(single < 1.1, "single calls: " + single);
  }

  @Test
  @DisplayName("a service with no call in the last day (a quiet weekend) is measured on the week's minute rows: its tests need not wait")
  void aQuietDayIsMeasuredOnTheWeek() throws Exception {
    try (OneMemberStore store = new OneMemberStore(tmp)) {
      long now = System.currentTimeMillis() / 1000;
      long start = Math.floorDiv(now - 40 * 3600, 600) * 600; // beyond the files' day of 10 s rows
      long end = start + 6 * 3600;
      SplittableRandom random = new SplittableRandom(17);
      List<SlotDelta> slots = new ArrayList<>();
      for (long t = start; t < end; t += 10) {
        long bunched = 0;
        for (int s = 0; s < 10; s++) if (random.nextInt(8) == 0) bunched += 8;
        slots.add(new SlotDelta(t, List.of(row("RECIPE", bunched))));
      }
      store.storeBlocking("a1", "app1", slots, end);
      for (int round = 0; round < 4; round++) store.writer.writeRoundBlocking();

      ProfileLoader loader = new ProfileLoader(store.query(3000), ZoneId.of("Europe/Brussels"), Holidays.NONE);
      double bunched = loader.loadBlocking("RECIPE", now, now).dispersion();
      assertTrue(bunched > 5.5 && bunched < 9, "bunches of eight, a day and more ago, in minute rows: " + bunched);
      assertTrue(Double.isNaN(loader.loadBlocking("DPP", now, now).dispersion()), "a service never called: not known");
    }
  }

  @Test
  @DisplayName("a new installation's first stall is not read as bunching by a member that loads its files then (a detector taking over)")
  void aStallIsNotReadAsBunching() throws Exception {
    try (OneMemberStore store = new OneMemberStore(tmp)) {
      long now = System.currentTimeMillis() / 1000;
      long start = Math.floorDiv(now - 3600, 600) * 600 + 3; // its first call three seconds into a slot
      long stallAt = start + 77, asOf = start + 120;
      SplittableRandom random = new SplittableRandom(19);
      List<SlotDelta> slots = new ArrayList<>();
      for (long t = Math.floorDiv(start, 10) * 10; t < asOf; t += 10) {
        long calls = 0;
        for (long s = Math.max(t, start); s < Math.min(t + 10, stallAt); s++) calls += poisson(random, 8.7);
        slots.add(new SlotDelta(t, List.of(row("DPP", calls))));
      }
      store.storeBlocking("a1", "app1", slots, asOf);
      store.writer.writeRoundBlocking();

      // the stall detection called (firing since its last call) is not the service's usual variation
      ProfileLoader loader = new ProfileLoader(store.query(3000), ZoneId.of("Europe/Brussels"), Holidays.NONE,
          (service, from, to) -> stallAt < to); // the slot it began in and every slot since
      double d = loader.loadBlocking("DPP", asOf, now).dispersion();
      assertTrue(Double.isNaN(d) || d < 2, "single calls with a stall's edge, the stall left out: " + d);
      double blind = new ProfileLoader(store.query(3000), ZoneId.of("Europe/Brussels"), Holidays.NONE).loadBlocking("DPP", asOf, now).dispersion();
      assertTrue(blind > 2, "the same edge, not known as a stall, reads as bunching (what the stall's interval must prevent): " + blind);
    }
  }

  private static long poisson(SplittableRandom random, double mean) {
    long n = 0;
    for (double p = Math.exp(-mean), q = random.nextDouble(); q > p; q *= random.nextDouble()) n++;
    return n;
  }

  private static SeriesRow row(String service, long calls) {
    long[] c = new long[Metrics.SIZE];
    c[Metrics.CALLS] = calls;
    return new SeriesRow(service, "get", "V", "app1", c);
  }
}
