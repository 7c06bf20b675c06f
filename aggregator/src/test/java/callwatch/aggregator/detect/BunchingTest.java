package callwatch.aggregator.detect;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How bunched a pharmacy's calls are, on seeded minutes of known bunching. */
class BunchingTest {
  @ParameterizedTest(name = "{0} calls a minute in bunches of {1}, {2} minutes: factor {3} to {4}")
  @CsvSource({
      // Poisson calls: no factor, short history or long, busy pharmacy or small
      "5.7,  1, 30,    1.0, 1.0",
      "5.7,  1, 20000, 1.0, 1.05",
      "0.5,  1, 20000, 1.0, 1.05",
      // calls four at a time: known after a day's opening hours, nearly whole after a week
      "5.7,  4, 600,   2.8, 4.0",
      "5.7,  4, 20000, 3.6, 4.2",
      // too few minutes to tell bunches of two from noise: no factor yet
      "5.7,  2, 10,    1.0, 1.0",
      // a rate that drifts slowly over the day (three times from morning to noon) is no bunching
      "-5.7, 1, 20000, 1.0, 1.05"})
  @DisplayName("the factor a count's evidence is divided by is the bunches' size, once the minutes show it beyond their noise")
  void factor(double perMinute, int bunch, int minutes, double atLeast, double atMost) {
    Random random = new Random(7);
    Bunching b = new Bunching(Bunching.PHARMACY_PAIRS);
    long before = 0;
    for (int m = 0; m < minutes; m++) {
      // a negative rate: its size, drifting from a third of it to all of it over each 600-minute day
      double rate = perMinute > 0 ? perMinute : -perMinute * (1 + 2.0 * (m % 600) / 600) / 3;
      long now = bunch * poisson(random, rate / bunch);
      b.add(before, now);
      before = now;
    }
    double f = b.factor();
    assertTrue(f >= atLeast && f <= atMost, "factor " + f);
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
