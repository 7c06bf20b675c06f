package callwatch.common.protocol;

import callwatch.common.collect.LongMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds up a batch's pharmacy calls per (minute, pharmacy, service, vendor) while it is decoded. A
 * call is a pharmacy (a whole number, or a name) and a code: the index of its (service, vendor)
 * pair times 4, plus 1 if it failed and 2 if it failed with E401. Numeric pharmacies are tallied
 * under a long key, so a backlog's millions of calls build no string or boxed key per call. Pure.
 */
final class PharmacyCallTally {
  private final Map<Integer, String[]> pairs;
  /** The same pairs by index when their indexes are small (always, from an agent): no boxed lookup per call. */
  private final String[][] pairsByIndex;
  private final List<Tally> tallies = new ArrayList<>();
  private final LongMap<LongMap<Tally>> numbersByMinute = new LongMap<>();
  private final Map<Long, Map<String, Tally>> namesByMinute = new HashMap<>();
  private long minute = Long.MIN_VALUE;
  private LongMap<Tally> byNumber;
  private Map<String, Tally> byName;
  /**
   * The last numbered pharmacy's tally: a merged backlog batch (the agent's merge of unsent batches,
   * {@link BatchMerge}) writes each row's calls one after another, so most of its calls add to it
   * without a map lookup or a boxed key. A live batch's calls come in the order they were read.
   */
  private Tally last;
  private long lastNumber;
  private int lastPair;

  /** Each new minute's map is made the size of the last one's: a backlog's minutes hold thousands of rows. */
  private int lastMinuteRows = 16;

  /** @param pairs the batch's (service, vendor) pairs by index, all of them, labels already checked */
  PharmacyCallTally(Map<Integer, String[]> pairs) {
    this.pairs = pairs;
    int highest = pairs.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
    pairsByIndex = highest < 4096 ? new String[highest + 1][] : null;
    if (pairsByIndex != null) pairs.forEach((index, pair) -> pairsByIndex[index] = pair);
  }

  /** The minute the next calls belong to (a minute may come back later in a batch: its tallies go on). */
  void minute(long minute) {
    if (minute == this.minute) return;
    this.minute = minute;
    last = null;
    if (byNumber != null) lastMinuteRows = Math.max(lastMinuteRows, byNumber.size());
    byNumber = numbersByMinute.get(minute);
    if (byNumber == null) {
      byNumber = new LongMap<>(lastMinuteRows);
      numbersByMinute.put(minute, byNumber);
    }
    byName = namesByMinute.computeIfAbsent(minute, k -> new HashMap<>());
  }

  /** One call of a pharmacy given by number (≥ 0). */
  void call(long pharmacy, long codeValue) {
    int code = code(codeValue);
    if (last != null && pharmacy == lastNumber && code >= 0 && (code >>> 2) == lastPair) {
      count(last, code);
      return;
    }
    String[] pair = pair(code);
    if (pharmacy < (1L << 43) && (code >>> 2) < (1 << 20)) {
      long key = pharmacy << 20 | (code >>> 2);
      Tally t = byNumber.get(key);
      if (t == null) {
        t = newTally(PharmacyNumbers.name(pharmacy), pair); // digits: always a valid name
        byNumber.put(key, t);
      }
      last = t;
      lastNumber = pharmacy;
      lastPair = code >>> 2;
      count(t, code);
    } else {
      call(PharmacyNumbers.name(pharmacy), code, pair);
    }
  }

  /** One call of a pharmacy given by name; a name that reads as a number is that number ("123456" and 123456 are one pharmacy). */
  void call(String pharmacy, long codeValue) {
    long number = PharmacyNumbers.numberOf(pharmacy);
    if (number >= 0) {
      call(number, codeValue);
      return;
    }
    int code = code(codeValue);
    call(pharmacy, code, pair(code));
  }

  private void call(String name, int code, String[] pair) {
    String key = name + '\n' + (code >>> 2);
    Tally t = byName.get(key);
    if (t == null) {
      t = checkedTally(name, pair);
      byName.put(key, t);
    }
    count(t, code);
  }

  private static int code(long codeValue) {
    return codeValue < 0 || codeValue > Integer.MAX_VALUE ? -1 : (int) codeValue;
  }

  private String[] pair(int code) {
    String[] pair;
    if (code < 0) pair = null;
    else if (pairsByIndex != null) pair = (code >>> 2) < pairsByIndex.length ? pairsByIndex[code >>> 2] : null;
    else pair = pairs.get(code >>> 2);
    if (pair == null) throw new ProtocolException("pharmacy call code " + code + " names no pair");
    return pair;
  }

  private static void count(Tally t, int code) {
    t.calls++;
    if ((code & 1) != 0) t.errors++;
    if ((code & 2) != 0) t.e401++;
  }

  private Tally checkedTally(String pharmacy, String[] pair) {
    String problem = Bounds.labelProblem("pharmacy", pharmacy);
    if (problem != null) throw new ProtocolException(problem);
    return newTally(pharmacy, pair);
  }

  private Tally newTally(String pharmacy, String[] pair) {
    Tally t = new Tally(minute, pharmacy, pair[0], pair[1]);
    tallies.add(t);
    return t;
  }

  /** The rows, in the order their keys first appeared. */
  List<PharmacyRow> rows() {
    List<PharmacyRow> rows = new ArrayList<>(tallies.size());
    for (Tally t : tallies) rows.add(new PharmacyRow(t.minute, t.pharmacy, t.service, t.vendor, t.calls, t.errors, t.e401));
    return rows;
  }

  /** Calls of one (minute, pharmacy, service, vendor). */
  private static final class Tally {
    final long minute;
    final String pharmacy, service, vendor;
    long calls, errors, e401;

    Tally(long minute, String pharmacy, String service, String vendor) {
      this.minute = minute;
      this.pharmacy = pharmacy;
      this.service = service;
      this.vendor = vendor;
    }
  }
}
