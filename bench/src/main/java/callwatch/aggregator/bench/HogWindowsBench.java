package callwatch.aggregator.bench;

import static callwatch.aggregator.detect.HogDraws.secondsToHog;

import java.util.Arrays;

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
      long[] times = new long[draws];
      int within = 0;
      for (int seed = 0; seed < draws; seed++) {
        long t = secondsToHog(seed, row[0], row[1], 600);
        times[seed] = t < 0 ? Long.MAX_VALUE : t;
        if (times[seed] <= 120) within++;
      }
      Arrays.sort(times);
      long median = times[draws / 2];
      System.out.printf("| %.0f | %.0f | %d of %d | %s | |%n", row[0], row[1], within, draws, median == Long.MAX_VALUE ? "over 600" : median);
    }
    // software looping on one service: its calls beyond its usual all go to the service it calls second most
    for (double[] row : new double[][] {{340, 1000}, {340, 1200}}) {
      long[] times = new long[draws];
      int within = 0;
      for (int seed = 0; seed < draws; seed++) {
        long t = secondsToHog(seed, row[0], row[1], 600, callwatch.aggregator.detect.HogDraws.Onset.LOOP);
        times[seed] = t < 0 ? Long.MAX_VALUE : t;
        if (times[seed] <= 120) within++;
      }
      Arrays.sort(times);
      long median = times[draws / 2];
      System.out.printf("| %.0f | %.0f, looping on one service | %d of %d | %s | |%n", row[0], row[1], within, draws,
          median == Long.MAX_VALUE ? "over 600" : median);
    }
    // every pharmacy calling in visits of 4 calls at once, after two hours of history: the bar rises with the bunches
    for (double[] row : new double[][] {{340, 1000}, {340, 1500}, {340, 2000}}) {
      long[] times = new long[draws];
      int within = 0, withinTen = 0;
      for (int seed = 0; seed < draws; seed++) {
        long t = secondsToHog(seed, row[0], row[1], 600, callwatch.aggregator.detect.HogDraws.Onset.MORE, 4, 120);
        times[seed] = t < 0 ? Long.MAX_VALUE : t;
        if (times[seed] <= 120) within++;
        if (times[seed] <= 600) withinTen++;
      }
      Arrays.sort(times);
      long median = times[draws / 2];
      System.out.printf("| %.0f, in visits of 4 calls | %.0f | %d of %d (%d within 10 min) | %s | |%n", row[0], row[1], within, draws, withinTen,
          median == Long.MAX_VALUE ? "over 600" : median);
    }
    for (double[] row : new double[][] {{30, 300}, {30, 500}, {30, 700}}) {
      int called = 0;
      for (int seed = 0; seed < draws; seed++) if (secondsToHog(1000 + seed, row[0], row[1], 3600) != callwatch.aggregator.detect.HogDraws.NEVER) called++;
      System.out.printf("| %.0f | %.0f | | | %d of %d |%n", row[0], row[1], called, draws);
    }
  }
}
