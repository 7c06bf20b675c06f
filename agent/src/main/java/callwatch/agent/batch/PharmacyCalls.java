package callwatch.agent.batch;

import java.util.Arrays;

/**
 * The calls of the open batch as (pharmacy, pair code) records, in the order they were read, with
 * the minute they fall in stored once per run of equal minutes. A record is appended, not looked
 * up: with 5,000 pharmacies nearly every call is the only one of its pharmacy, service and vendor
 * in its minute, so adding them up on the agent would cost a hash lookup per line and save almost
 * nothing; the aggregator adds them up. Not thread-safe.
 */
final class PharmacyCalls {
  /** Record i at 2i: the pharmacy id, then pair * 4 + error flag + 2 × E401 flag. */
  private int[] records = new int[1 << 12];
  private int size;
  private long[] runMinutes = new long[16];
  /** Index of the first record of each run. */
  private int[] runStarts = new int[16];
  private int runs;

  /** What {@link #forEachRun} calls for each run of records of one minute, records [from, to). */
  @FunctionalInterface
  interface Run {
    void accept(long minute, int[] records, int from, int to);
  }

  void add(long minute, int pharmacy, int pairCode) {
    if (runs == 0 || runMinutes[runs - 1] != minute) startRun(minute);
    if (2 * size + 2 > records.length) records = Arrays.copyOf(records, records.length * 2);
    records[2 * size] = pharmacy;
    records[2 * size + 1] = pairCode;
    size++;
  }

  int size() {
    return size;
  }

  void forEachRun(Run run) {
    for (int r = 0; r < runs; r++) {
      int end = r + 1 < runs ? runStarts[r + 1] : size;
      run.accept(runMinutes[r], records, runStarts[r], end);
    }
  }

  void clear() {
    size = 0;
    runs = 0;
  }

  private void startRun(long minute) {
    if (runs == runMinutes.length) {
      runMinutes = Arrays.copyOf(runMinutes, runs * 2);
      runStarts = Arrays.copyOf(runStarts, runs * 2);
    }
    runMinutes[runs] = minute;
    runStarts[runs] = size;
    runs++;
  }
}
