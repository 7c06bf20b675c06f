package callwatch.aggregator.bench;

import static callwatch.aggregator.detect.HogDraws.secondsToHog;

import callwatch.aggregator.detect.HogDraws;
import java.util.Arrays;
import java.util.function.IntToLongFunction;

/**
 * Hogs on random traffic, through the detector ({@code HogDraws}, shared with {@code
 * PharmacyWatchTest}). Prints how many draws of 100 are called a hog within 2 minutes (or within the
 * hour, for pharmacies under the ceiling).
 */
public final class HogWindowsBench {
  private HogWindowsBench() {}

  public static void main(String[] args) {
    int draws = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    System.out.println("| pharmacy's usual, calls an hour | then | called within 2 minutes | median, s | called within an hour |");
    System.out.println("| --- | --- | --- | --- | --- |");
    for (double[] row : new double[][] {{30, 1000}, {180, 1000}, {340, 1000}, {340, 1200}, {340, 1500}}) {
      printRow(String.format("%.0f", row[0]), String.format("%.0f", row[1]), false, draws, seed -> secondsToHog(seed, row[0], row[1], 600));
    }
    // software looping on one service: its calls beyond its usual all go to the service it calls second most
    for (double[] row : new double[][] {{340, 1000}, {340, 1200}}) {
      printRow(String.format("%.0f", row[0]), String.format("%.0f, looping on one service", row[1]), false, draws,
          seed -> secondsToHog(seed, row[0], row[1], 600, HogDraws.Onset.LOOP));
    }
    // every pharmacy calling in visits of 4 calls at once, after two hours of history: the bar rises with the bunches
    for (double[] row : new double[][] {{340, 1000}, {340, 1500}, {340, 2000}}) {
      printRow(String.format("%.0f, in visits of 4 calls", row[0]), String.format("%.0f", row[1]), true, draws,
          seed -> secondsToHog(seed, row[0], row[1], 600, HogDraws.Onset.MORE, 4, 120));
    }
    for (double[] row : new double[][] {{30, 300}, {30, 500}, {30, 700}}) {
      int called = 0;
      for (int seed = 0; seed < draws; seed++) if (secondsToHog(1000 + seed, row[0], row[1], 3600) != HogDraws.NEVER) called++;
      System.out.printf("| %.0f | %.0f | | | %d of %d |%n", row[0], row[1], called, draws);
    }
  }

  /** One row: how many of the draws were called within 2 minutes (and within 10, if {@code withinTen}), and the median. */
  private static void printRow(String usual, String then, boolean withinTen, int draws, IntToLongFunction draw) {
    long[] times = new long[draws];
    int within = 0, ten = 0;
    for (int seed = 0; seed < draws; seed++) {
      long t = draw.applyAsLong(seed);
      times[seed] = t < 0 ? Long.MAX_VALUE : t;
      if (times[seed] <= 120) within++;
      if (times[seed] <= 600) ten++;
    }
    Arrays.sort(times);
    long median = times[draws / 2];
    System.out.printf("| %s | %s | %d of %d%s | %s | |%n", usual, then, within, draws, withinTen ? " (" + ten + " within 10 min)" : "",
        median == Long.MAX_VALUE ? "over 600" : median);
  }
}
