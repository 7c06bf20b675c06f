package callwatch.aggregator.detect;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Refusals that are the service's, not the pharmacies': when many pharmacies of one service would
 * be called without a contract within minutes (the platform's authentication refuses everyone
 * with E401), that is one finding about the service — an {@code error-rate} alert naming it — and
 * not thousands of missing contracts, one alert (and one e-mail) per pharmacy. Pure.
 */
final class RefusingServices {
  /** Pharmacies of one service called without a contract within {@link #SECONDS} that make it the service refusing. */
  static final int PHARMACIES = 10;
  static final long SECONDS = 600;
  /** A minute in which at most this share of the service's calls is refused is clear. */
  static final double CLEAR_SHARE = 0.05;

  private static final class State {
    final ArrayDeque<Long> called = new ArrayDeque<>();
    Alert alert;
    /** Since when (event seconds) its minutes are clear; MIN_VALUE while they are not. */
    long clearSince = Long.MIN_VALUE;
    /** When its last refusing ended: pharmacies' refusals from before are its, not missing contracts. */
    long endedAt = Long.MIN_VALUE;
  }

  private final Map<String, State> services = new HashMap<>();

  /**
   * A pharmacy's refusals of {@code service} since {@code since} would now be called a missing
   * contract (event time {@code end}): whether they still are, or the service's own refusing
   * explains them (fired here once they are the {@link #PHARMACIES}th pharmacy within {@link #SECONDS}).
   */
  boolean missingContract(String service, long since, long end, Findings out) {
    State s = services.computeIfAbsent(service, k -> new State());
    if (firing(s) || since < s.endedAt) return false;
    while (!s.called.isEmpty() && s.called.peekFirst() <= end - SECONDS) s.called.pollFirst();
    if (s.called.size() + 1 < PHARMACIES) {
      s.called.addLast(end); // a pharmacy is called once a day: each call here is another pharmacy
      return true;
    }
    long from = s.called.peekFirst();
    Alert a = out.fire("error-rate", Map.of("service", service), from, end);
    a.severity = "degraded";
    a.expected = 0;
    a.observed = PHARMACIES;
    a.windowSeconds = end - from;
    a.score = PHARMACIES;
    a.reason = service + " refuses calls with E401: " + PHARMACIES + " pharmacies refused again and again within "
        + Math.max(1, (end - from + 59) / 60) + " min (their contracts are not what is missing)";
    s.alert = a;
    s.called.clear();
    s.clearSince = Long.MIN_VALUE;
    return false;
  }

  /** Whether a service's refusing is called now (then each minute's calls and refusals per service are wanted). */
  boolean anyFiring() {
    for (State s : services.values()) if (firing(s)) return true;
    return false;
  }

  /** Whether the service's refusing is called; its alert may also be the service's error jump, and resolved as that. */
  private static boolean firing(State s) {
    if (s.alert != null && !s.alert.firing()) s.alert = null;
    return s.alert != null;
  }

  /**
   * A closed minute ending at {@code end}: each service's calls and E401 in it ([calls, refused]).
   * A refusing service resolves once its minutes stayed clear for {@link #SECONDS}; a minute
   * without calls says nothing.
   */
  void minute(long end, Map<String, long[]> callsAndRefused, Findings out) {
    for (Map.Entry<String, State> e : services.entrySet()) {
      State s = e.getValue();
      if (!firing(s)) continue;
      long[] c = callsAndRefused.get(e.getKey());
      if (c == null || c[0] == 0) continue;
      if (c[1] > CLEAR_SHARE * c[0]) {
        s.clearSince = Long.MIN_VALUE;
      } else if (s.clearSince == Long.MIN_VALUE) {
        s.clearSince = end - 60;
      }
      if (s.clearSince != Long.MIN_VALUE && end - s.clearSince >= SECONDS) {
        out.resolve(s.alert, end);
        s.alert = null;
        s.endedAt = s.clearSince;
      }
    }
  }
}
