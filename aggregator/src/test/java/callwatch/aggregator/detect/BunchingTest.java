package callwatch.aggregator.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How bunched a pharmacy's calls are, on seeded minutes of known bunching. */
class BunchingTest {
  @ParameterizedTest(name = "{0} calls a minute in bunches of {1}, {2} minutes: ratio {3} to {4}")
  @CsvSource({
      // single Poisson calls: no bunching, busy pharmacy or small
      "5.7,  1, 20000, 0.93, 1.07",
      "0.5,  1, 20000, 0.93, 1.07",
      // calls four or two at a time: known within a tenth after a day's opening hours, closer after a week
      "5.7,  4, 600,   3.5,  4.5",
      "5.7,  4, 20000, 3.75, 4.25",
      "5.7,  2, 20000, 1.85, 2.15",
      // a rate that drifts slowly over the day (three times from morning to noon) is no bunching
      "-5.7, 1, 20000, 0.93, 1.07"})
  @DisplayName("the ratio a count's evidence is divided by is the bunches' size")
  void ratio(double perMinute, int bunch, int minutes, double atLeast, double atMost) {
    double r = minutes(perMinute, bunch, minutes).ratio();
    assertTrue(r >= atLeast && r <= atMost, "ratio " + r);
  }

  @ParameterizedTest(name = "{0} minutes of a pharmacy at 5.7 calls a minute: known = {1}")
  @CsvSource({"100, false", "450, false", "600, true"})
  @DisplayName("a pharmacy's own ratio is known after about a day of its minutes, not before")
  void known(int minutes, boolean known) {
    assertEquals(known, minutes(5.7, 1, minutes).known());
  }

  @org.junit.jupiter.api.Test
  @DisplayName("before two pairs of minutes there is no ratio to go by: 1")
  void noPairsNoRatio() {
    Bunching b = new Bunching(Bunching.PHARMACY_PAIRS);
    b.add(0, 0);
    b.add(0, 12);
    assertEquals(1, b.ratio());
  }

  /** A pharmacy's minutes drawn at {@code perMinute} in bunches of {@code bunch} (a negative rate: its size, drifting from a third of it to all of it over each 600-minute day). */
  private static Bunching minutes(double perMinute, int bunch, int minutes) {
    Random random = new Random(7);
    Bunching b = new Bunching(Bunching.PHARMACY_PAIRS);
    long before = 0;
    for (int m = 0; m < minutes; m++) {
      double rate = perMinute > 0 ? perMinute : -perMinute * (1 + 2.0 * (m % 600) / 600) / 3;
      long now = bunch * poisson(random, rate / bunch);
      b.add(before, now);
      before = now;
    }
    return b;
  }

  private static long poisson(Random random, double mean) {
    long k = 0;
    double p = Math.exp(-mean), u = random.nextDouble(), cdf = p;
    while (u > cdf) {
      k++;
      p *= mean / k;
      cdf += p;
    }
    return k;
  }
}
