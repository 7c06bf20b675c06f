package callwatch.aggregator.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** The dispersion of a service's 10 s slots, on drawn traffic: single calls, bunches, an outage's edges, gaps. */
class DispersionTest {
  /** Six hours of 10 s slots, each the sum of ten seconds drawn from {@code second}. */
  private static double[] sixHours(LongSupplier second) {
    double[] slots = new double[6 * 360];
    for (int i = 0; i < slots.length; i++) for (int s = 0; s < 10; s++) slots[i] += second.getAsLong();
    return slots;
  }

  /** Calls of a second: a Poisson number of bunches of {@code bunch} calls, {@code rate} calls a second on average. */
  private static LongSupplier bunches(SplittableRandom random, double rate, int bunch) {
    double none = Math.exp(-rate / bunch);
    return () -> {
      long bunches = 0;
      for (double p = random.nextDouble(); p > none; p *= random.nextDouble()) bunches++;
      return bunches * bunch;
    };
  }

  @Test
  void tableOfTraffic() {
    // {calls a second, bunch size, lowest and highest factor accepted}
    double[][] table = {
        {2, 1, 0.9, 1.15},    // single calls: Poisson, so no factor
        {40, 1, 0.9, 1.15},   // at the peak too
        {2, 4, 3.2, 4.4},     // four at a time: about four times the variance
        {40, 4, 3.2, 4.4},
        {2, 8, 6.2, 8.6},
        {0.05, 1, 1, 1},      // a quiet night: few pairs with calls, but what there is says Poisson
    };
    for (double[] row : table) {
      double d = Dispersion.of(sixHours(bunches(new SplittableRandom(3), row[0], (int) row[1])));
      assertTrue(d >= row[2] && d <= row[3], "rate " + row[0] + ", bunches of " + (int) row[1] + ": " + d);
    }
  }

  @Test
  void aMinuteOfCallsAlreadyTellsBunchesFromSingleCalls() {
    // a new installation's first minute: six slots, five pairs, drawn a thousand times
    int bunchedSeen = 0, singleTakenForBunched = 0;
    SplittableRandom random = new SplittableRandom(11);
    for (int draw = 0; draw < 1000; draw++) {
      double[] bunched = java.util.Arrays.copyOf(sixHours(bunches(random, 2, 8)), Dispersion.MIN_PAIRS + 1);
      double[] single = java.util.Arrays.copyOf(sixHours(bunches(random, 2, 1)), Dispersion.MIN_PAIRS + 1);
      if (Dispersion.of(bunched) > 2) bunchedSeen++;
      if (Dispersion.of(single) > 1) singleTakenForBunched++;
    }
    assertTrue(bunchedSeen > 850, "bunches of eight seen in " + bunchedSeen + " of 1000 first minutes");
    assertTrue(singleTakenForBunched < 80, "single calls taken for bunches in " + singleTakenForBunched + " of 1000");
  }

  @Test
  void anOutageIsNoBunching() {
    // single calls at the peak's 130 a second, with two stalls of ten minutes and a drop to 30 %
    double[] slots = sixHours(bunches(new SplittableRandom(5), 130, 1));
    for (int i = 600; i < 660; i++) slots[i] = 0;
    for (int i = 1200; i < 1260; i++) slots[i] = 0;
    for (int i = 1500; i < 1560; i++) slots[i] = Math.round(slots[i] * 0.3);
    double d = Dispersion.of(slots);
    assertTrue(d < 1.25, "an outage's edges, capped, barely count: " + d + " (uncapped they give about 3.7)");
  }

  @Test
  void unknownSlotsMakeNoPairsAndTooFewPairsSayNothing() {
    double[] slots = sixHours(bunches(new SplittableRandom(7), 2, 8));
    double whole = Dispersion.of(slots);
    for (int i = 0; i < slots.length; i += 2) slots[i] = Double.NaN; // no two known slots side by side
    assertEquals(Double.NaN, Dispersion.of(slots), "no pair: nothing known");
    double[] tooFew = java.util.Arrays.copyOf(sixHours(bunches(new SplittableRandom(7), 2, 8)), Dispersion.MIN_PAIRS);
    assertEquals(Double.NaN, Dispersion.of(tooFew), "fewer pairs than the minimum");
    assertTrue(whole > 5, "the whole six hours: " + whole);
    assertEquals(Double.NaN, Dispersion.of(new double[360]), "a service without calls");
  }
}
