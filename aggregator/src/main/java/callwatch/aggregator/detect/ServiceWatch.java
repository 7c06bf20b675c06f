package callwatch.aggregator.detect;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One service's call-rate tests: a full stall, a drop, a server whose share falls away. Fed slot by
 * slot in event time ({@link #commit}), and between slots with the open slot's partial counts
 * ({@link #peek}), so a stall at peak is called within seconds, not at the next slot. Pure.
 */
final class ServiceWatch {
  static final int STEP = 10;
  /** An hour of slots: the level and the recent rate. */
  private static final int LEVEL_SLOTS = 360;
  /** The newest 10 minutes do not count in the level: a stall must not teach the detector to expect it. */
  private static final int LEVEL_LAG_SLOTS = 60;
  private static final double HOUR_DECAY = Math.exp(-STEP / 3600.0);
  /** Slots of a service's own traffic the detector must have seen before it expects anything without history. */
  static final int MIN_RECENT_SLOTS = 6;
  /** A host is tested once it takes at least this share of its service's calls. */
  static final double MIN_HOST_SHARE = 0.02;

  final String service;
  private final Rules rules;
  private WeeklyProfile profile;
  final PoissonCusum stall;
  final PoissonCusum drop;
  private final Ring observed = new Ring(LEVEL_SLOTS);
  /**
   * The same slots for the live dispersion, with those of an open stall or drop (and the one it
   * ended in), of a maintenance window and the service's first (it began mid-slot) unknown: a step
   * of the rate (a slot of calls next to none) is not bunching. Capped, two of them barely count
   * among the loader's six hours, but among a new installation's first pairs one made regular calls
   * look ten times as bunched, and its first stall went uncalled (DetectionTest, AlertingTest).
   */
  private final Ring calm = new Ring(LEVEL_SLOTS);
  private boolean seenCalls;
  /** Observed and usual calls of the slots where the profile knew what to expect: the level. */
  private final Ring levelObserved = new Ring(LEVEL_SLOTS);
  private final Ring levelExpected = new Ring(LEVEL_SLOTS);
  private double level = 1;
  /** Per agent: calls per slot, decayed over an hour; the shares of the service's traffic. */
  final Map<String, Double> agentRate = new HashMap<>();
  final Map<String, HostWatch> hosts = new HashMap<>();
  /** The last minute's expected and observed, for the evidence of a drop. */
  private final Ring minuteObserved = new Ring(6);
  private final Ring minuteExpected = new Ring(6);
  Alert stallAlert;
  Alert dropAlert;
  /** The expected rate at the last evaluation (calls per second), for the tile's words. */
  double lastRate = Double.NaN;

  static final class HostWatch {
    final String host;
    String agent;
    double rate;
    double score;
    long since = -1;
    Alert alert;
    /** The share of the service's calls it usually takes, when its alert was called. */
    double usualShare;

    HostWatch(String host) {
      this.host = host;
    }
  }

  ServiceWatch(String service, Rules rules, WeeklyProfile profile) {
    this.service = service;
    this.rules = rules;
    this.profile = profile;
    this.stall = new PoissonCusum(0, 1);
    this.drop = new PoissonCusum(rules.dropRatio(), dispersion());
  }

  void profile(WeeklyProfile p) {
    this.profile = p;
    drop.dispersion(dispersion());
  }

  /**
   * How much more this service's calls vary than Poisson calls, as its recent history shows
   * ({@link Dispersion}): its stall, drop and silent-server evidence is divided by it. Calls that come eight at a
   * time leave a service at 2 calls/s silent for 10 s about once a minute; single calls, e^-20.
   */
  private double dispersion() {
    if (Double.isNaN(liveDispersion)) return Double.isNaN(profile.dispersion()) ? UNKNOWN_DISPERSION : profile.dispersion();
    return Double.isNaN(profile.dispersion()) ? liveDispersion : Math.max(profile.dispersion(), liveDispersion);
  }

  /**
   * The factor while neither the history nor the live slots have told how bunched this service's
   * calls are: as if they came eight at a time. Calls that do would be a stall every few minutes
   * under the single calls' odds; a busy service's stall is still called, later. A member that
   * restarts knows the factor from its files; a new installation, from its first minute of calls,
   * before which it expects nothing anyway, and a service that stops right then is judged so.
   */
  static final double UNKNOWN_DISPERSION = 8;

  /**
   * The dispersion of the last hour's slots as they were committed, measured at every slot for the
   * first ten minutes and every 100 s after: a new installation has no history for the profile's
   * loader to measure, nor does a service whose calls began to come in bunches since (a new vendor
   * version). The larger of the two counts.
   */
  private double liveDispersion = Double.NaN;
  private static final int LIVE_DISPERSION_EVERY = 10;
  private static final int LIVE_DISPERSION_EVERY_SLOT_UNTIL = 60;
  private int slotsSinceLiveDispersion;

  /**
   * Calls per second expected at {@code t} from the agents in {@code included} (a silent or
   * lagging agent's share is left out), NaN while nothing is known yet (no history, under five
   * minutes seen).
   */
  double expectedPerSecond(long t, Set<String> included) {
    double usual = profile.perSecond(t);
    double rate;
    if (!Double.isNaN(usual)) {
      rate = usual * level;
    } else {
      // no history for this moment: the lowest of the last minute's, 10 minutes' and hour's rates
      // (a sharp fall of the day's rhythm, which history would have foretold, is not a stall)
      // (since the service's first call: a new installation learns from its first minute)
      if (observed.filled() < MIN_RECENT_SLOTS) return Double.NaN;
      rate = Math.min(observed.sum(0, 6) / (Math.min(6, observed.filled()) * (double) STEP),
          Math.min(observed.sum(0, 60) / (Math.min(60, observed.filled()) * (double) STEP),
              observed.sum(0, LEVEL_SLOTS) / (observed.filled() * (double) STEP)));
    }
    return rate * includedShare(included);
  }

  /** Whether history says what to expect now (else only a stall is judged, on a stricter threshold). */
  boolean profiled(long t) {
    return !Double.isNaN(profile.perSecond(t));
  }

  /** Without history the recent rate is a rough guess: a stall needs half as much evidence again. */
  private static final double UNPROFILED_STALL_FACTOR = 1.5;
  /**
   * A silence inside the open slot is evidence only once it is this long: agents send a batch a
   * second and their clock runs on between two reads of the file, so a reader held up for a second
   * (a pause of the agent's JVM, a busy disk) looks like a second without calls of every service.
   * At the peak's 130 calls/s that alone would be 130 expected calls, far past the threshold
   * (bench/stall-alert.sh saw it on every service at once).
   */
  static final double MIN_PEEK_SILENCE_SECONDS = 3;
  /**
   * A silence inside the open slot is weighed against this share of the expected rate. One
   * moment's expectation can be a quarter too high (the day's drift, which the hourly level only
   * follows), and a few seconds' silence has no slot's averaging to absorb that: at 75 % of the
   * expected rate, the full rate's evidence would be reached by chance about e^-13.5 per try, and
   * the night holds a million tries (bench/detection.sh, seed 3, saw one: "no RECIPE call for 4 s;
   * about 19 expected" at 06:18). At 60 % it is e^-22. The peak loses nothing: 3 s of silence at
   * 137 calls/s are 247 nats at 60 % too; at 2 calls/s the committed slots call it first anyway.
   */
  static final double PEEK_RATE_MARGIN = 0.6;

  /** The share of this service's usual traffic that the included agents carry (1 before any is known). */
  double includedShare(Set<String> included) {
    double all = 0, in = 0;
    for (Map.Entry<String, Double> e : agentRate.entrySet()) {
      all += e.getValue();
      if (included.contains(e.getKey())) in += e.getValue();
    }
    return all <= 0 ? 1 : in / all;
  }

  boolean knowsAgent(String agent) {
    return agentRate.getOrDefault(agent, 0.0) > 1e-3;
  }

  /** A closed slot: its calls per included agent and per host. Tests first, then learning. */
  void commit(long slot, SlotCounts counts, Set<String> included, Findings out) {
    boolean outageBefore = stallAlert != null || dropAlert != null; // this slot may end it: calls back, part of the slot
    double rate = expectedPerSecond(slot + STEP / 2, included);
    lastRate = rate;
    double mu = Double.isNaN(rate) ? Double.NaN : rate * STEP;
    if (stallAlert != null && !Double.isNaN(mu) && slot >= stallAlert.firedAt) expectedSinceStall += mu;
    long k = counts.calls;
    boolean tested = !Double.isNaN(mu) && rules.watched(service) && !rules.inMaintenance(service, slot);
    if (tested) {
      stall.commit(k, mu, slot * 1000);
      // while a stall fires, the drop test waits: after it, the silence is not evidence of a drop
      if (profiled(slot) && stallAlert == null) drop.commit(k, mu, slot * 1000);
      else drop.reset();
      minuteObserved.add(k);
      minuteExpected.add(mu);
      judge(slot + STEP, k, mu, 0, out);
      // over when calls come back: judged on slots after the silence began (the slot a stall began in
      // mid-way holds the calls before it)
      if (stallAlert != null && slot >= stallAlert.since && k >= Math.max(1, 0.5 * mu)) stallAlert = out.resolve(stallAlert, slot + STEP);
      if (dropAlert != null && drop.score() == 0 && minuteObserved.sum(0, 6) >= 0.7 * minuteExpected.sum(0, 6)) {
        dropAlert = out.resolve(dropAlert, slot + STEP);
      } else if (dropAlert != null) {
        dropAlert.reasonNow = dropWords(minuteObserved.sum(0, 6), minuteExpected.sum(0, 6));
      }
    } else {
      stall.reset();
      drop.reset();
      if (stallAlert != null) stallAlert = out.resolve(stallAlert, slot + STEP);
      if (dropAlert != null) dropAlert = out.resolve(dropAlert, slot + STEP);
    }
    hostsCommit(slot, counts, included, out);
    learn(slot, k, included, counts, outageBefore);
  }

  /** The open slot so far: {@code seconds} of it seen, with these counts. Nothing is learnt. */
  void peek(long slot, double seconds, SlotCounts counts, Set<String> included, Findings out) {
    double rate = expectedPerSecond(slot + STEP / 2, included);
    if (Double.isNaN(rate) || !rules.watched(service) || rules.inMaintenance(service, slot)) return;
    // when the open slot's count last grew: calls that stop mid-slot are a silence from then on,
    // not from the next slot (the detector ticks every second; that is the resolution)
    if (slot != peekSlot) {
      peekSlot = slot;
      peekCalls = 0;
      // a silence that began in the slot before goes on, counted from its start; an older one is the committed slots' to judge
      if (!(peekGrewAt >= slot - STEP)) peekGrewAt = Double.NaN;
    }
    if (counts.calls > peekCalls) {
      peekCalls = counts.calls;
      peekGrewAt = slot + seconds;
    }
    judge(slot + seconds, counts.calls, rate * seconds, seconds, out);
    double silent = slot + seconds - peekGrewAt;
    // a silence longer than a slot is the committed slots' to judge, against the profile (at a quiet
    // hour, rate × a long silence from one moment's rate is too rough: bench/detection.sh saw a false stall)
    if (!Double.isNaN(peekGrewAt) && stallAlert == null && silent >= MIN_PEEK_SILENCE_SECONDS && silent <= STEP) {
      // the silence since the last call seen: a fresh run of evidence, against a margin below the expected rate
      double score = PEEK_RATE_MARGIN * rate * silent / dispersion();
      if (score >= stallThreshold(slot + seconds)) fireStall(slot + seconds, (long) peekGrewAt, rate * silent, score, out);
    }
  }

  private long peekSlot = Long.MIN_VALUE;
  private long peekCalls;
  /** When the open slot's count (or the slot before's) last grew, event seconds; NaN: not seen growing. */
  private double peekGrewAt = Double.NaN;

  private double stallThreshold(double now) {
    return rules.stallThreshold(service) * (profiled((long) now) ? 1 : UNPROFILED_STALL_FACTOR);
  }

  private void fireStall(double now, long since, double expectedCalls, double score, Findings out) {
    Alert a = out.fire("stall", Map.of("service", service), since, (long) now);
    a.severity = "outage";
    a.expected = round(expectedCalls);
    a.observed = 0;
    a.windowSeconds = Math.max(1, (long) now - since);
    a.score = round(score);
    a.reason = stallReason((long) a.windowSeconds, expectedCalls);
    stallAlert = a;
    expectedSinceStall = 0;
    if (dropAlert != null) dropAlert = out.resolve(dropAlert, (long) now); // a stall says more: the drop is superseded
    drop.reset();
  }

  /** Fires a stall or drop whose evidence crossed its threshold by event time {@code now}. */
  private void judge(double now, long k, double mu, double partialSeconds, Findings out) {
    boolean partial = partialSeconds > 0;
    // the open slot's first seconds say nothing yet (see MIN_PEEK_SILENCE_SECONDS): only what was committed counts
    boolean early = partial && partialSeconds < MIN_PEEK_SILENCE_SECONDS;
    // the stall's evidence is the calls expected in the silence (ρ = 0); the open slot's share of it
    // is weighed at PEEK_RATE_MARGIN, like the silence since the last call (see there)
    double expectedInSilence = partial && !early ? stall.peek(k, mu) : stall.score();
    double stallScore = (expectedInSilence > stall.score()
        ? stall.score() + PEEK_RATE_MARGIN * (expectedInSilence - stall.score()) : expectedInSilence) / dispersion();
    if (stallAlert == null && stallScore >= stallThreshold(now)) {
      long since = stall.sinceIfPeek(partial ? (long) ((now - partialSeconds) * 1000) : 0) / 1000;
      fireStall(now, since, expectedInSilence, stallScore, out);
    }
    double dropScore = !profiled((long) now) ? 0 : partial && !early ? drop.peek(k, mu) : drop.score();
    if (dropAlert == null && stallAlert == null && dropScore >= rules.dropThreshold(service)) {
      long since = drop.sinceIfPeek(partial ? (long) ((now - partialSeconds) * 1000) : 0) / 1000;
      double exp = minuteExpected.sum(0, 6) + (partial ? mu : 0);
      double obs = minuteObserved.sum(0, 6) + (partial ? k : 0);
      Alert a = out.fire("drop", Map.of("service", service), since, (long) now);
      a.severity = "degraded";
      a.expected = round(exp);
      a.observed = obs;
      a.windowSeconds = 60 + partialSeconds;
      a.score = round(dropScore);
      a.reason = dropWords(obs, exp);
      dropAlert = a;
    }
  }

  private void hostsCommit(long slot, SlotCounts counts, Set<String> included, Findings out) {
    double total = totalHostRate(included);
    for (HostWatch h : hosts.values()) {
      if (h.agent == null || !included.contains(h.agent) || total <= 0) continue;
      double p = h.rate / total;
      if (p < MIN_HOST_SHARE) {
        if (h.alert != null) h.alert = out.resolve(h.alert, slot + STEP);
        continue;
      }
      long kh = counts.perHost.getOrDefault(h.host, 0L);
      long others = counts.calls - kh;
      if (kh > 0) {
        if (h.alert != null && kh >= 0.3 * p * counts.calls) h.alert = out.resolve(h.alert, slot + STEP);
        h.score = 0;
        h.since = -1;
        continue;
      }
      if (h.score == 0) h.since = slot;
      // the calls behind the share: an hour's worth once traffic has flowed that long, a few at a new installation's start
      // calls that come in bunches fall on one server together: fewer chances to take none (see dispersion())
      h.score += Proportion.noneOfNext(h.rate / (1 - HOUR_DECAY), total / (1 - HOUR_DECAY), others) / dispersion();
      judgeHost(h, h.score, h.since, slot + STEP, others, p, out);
    }
  }

  private void judgeHost(HostWatch h, double score, long since, long now, long othersNow, double p, Findings out) {
    if (h.alert != null || score < rules.shareThreshold()) return;
    Alert a = out.fire("silent-host", Map.of("service", service, "host", h.host), since, now);
    a.severity = "degraded";
    a.expected = round(score / -Math.log(1 - Math.min(p, 0.999)) * p);
    a.observed = 0;
    a.windowSeconds = Math.max(1, now - since);
    a.score = round(score);
    h.usualShare = p;
    a.reason = silentHostReason(h, now - since);
    h.alert = a;
  }

  private String dropWords(double observed, double expected) {
    return service + " gets " + Math.round(100 * observed / Math.max(expected, 1e-9)) + " % of its usual calls ("
        + (long) observed + " in the last minute; about " + Math.round(expected) + " expected)";
  }

  /** The calls expected in the slots committed since the open stall was called. */
  private double expectedSinceStall;

  private String stallReason(long seconds, double expectedCalls) {
    return "no " + service + " call for " + Durations.words(seconds) + "; about " + Math.round(expectedCalls) + " expected";
  }

  private String silentHostReason(HostWatch h, long seconds) {
    return "no " + service + " call on " + h.host + " for " + Durations.words(seconds) + " while its peers go on (it usually takes "
        + Math.round(100 * h.usualShare) + " % of them)";
  }

  /**
   * The reason of this service's open stall or silent server as of event time {@code now}: how long
   * the silence has lasted so far (a tile read twenty minutes into an outage must not say "for 3 s").
   * The alert itself keeps what it said when it was called.
   */
  String reasonNow(Alert a, long now) {
    if (a == stallAlert) return stallReason(now - a.since, a.expected + expectedSinceStall);
    for (HostWatch h : hosts.values()) if (a == h.alert) return silentHostReason(h, now - a.since);
    return a.reasonNow != null ? a.reasonNow : a.reason;
  }

  private double totalHostRate(Set<String> included) {
    double t = 0;
    for (HostWatch h : hosts.values()) if (h.agent != null && included.contains(h.agent)) t += h.rate;
    return t;
  }

  private void learn(long slot, long k, Set<String> included, SlotCounts counts, boolean outageBefore) {
    double usual = profile.ownBin(slot + STEP / 2);
    double share = includedShare(included);
    observed.add(k);
    boolean first = !seenCalls && k > 0;
    seenCalls |= k > 0;
    boolean step = first || outageBefore || stallAlert != null || dropAlert != null || rules.inMaintenance(service, slot);
    calm.add(step ? Double.NaN : k);
    if (++slotsSinceLiveDispersion >= LIVE_DISPERSION_EVERY || calm.filled() <= LIVE_DISPERSION_EVERY_SLOT_UNTIL) {
      slotsSinceLiveDispersion = 0;
      double measured = Dispersion.of(withoutCurrentSilence(calm.inOrder()));
      if (!Double.isNaN(measured)) liveDispersion = measured; // a silence leaves too few pairs: what was measured holds
      drop.dispersion(dispersion());
    }
    if (!Double.isNaN(usual)) {
      levelObserved.add(k);
      levelExpected.add(usual * STEP * share);
      if (levelObserved.filled() % 30 == 0 || levelObserved.filled() == LEVEL_SLOTS) relevel();
    }
    for (String agent : included) {
      long ka = counts.perAgent.getOrDefault(agent, 0L);
      double old = agentRate.getOrDefault(agent, 0.0);
      if (old == 0 && ka == 0) continue;
      agentRate.put(agent, old * HOUR_DECAY + ka * (1 - HOUR_DECAY));
    }
    counts.hostAgent.forEach((host, agent) -> hosts.computeIfAbsent(host, HostWatch::new).agent = agent);
    for (HostWatch h : hosts.values()) {
      if (h.agent == null || !included.contains(h.agent)) continue;
      h.rate = h.rate * HOUR_DECAY + counts.perHost.getOrDefault(h.host, 0L) * (1 - HOUR_DECAY);
    }
  }

  /**
   * The slots without the silence going on now, if one is, nor the slot it began in (calls that
   * stop mid-slot leave it part full): its edges are a step, and the silence may be a stall not
   * called yet (a new installation's few pairs would take it for bunching, and the stall would wait
   * for it). If it was only a gap between bunches, it counts once the calls are back.
   */
  private static double[] withoutCurrentSilence(double[] slots) {
    int end = slots.length;
    while (end > 0 && slots[end - 1] == 0) end--;
    return end == slots.length ? slots : java.util.Arrays.copyOf(slots, Math.max(0, end - 1));
  }

  /** Today's level against the usual: observed over expected in the hour before the last 10 minutes. */
  private void relevel() {
    if (levelObserved.filled() < LEVEL_LAG_SLOTS + 30) return;
    double obs = levelObserved.sum(LEVEL_LAG_SLOTS, LEVEL_SLOTS - LEVEL_LAG_SLOTS);
    double exp = levelExpected.sum(LEVEL_LAG_SLOTS, LEVEL_SLOTS - LEVEL_LAG_SLOTS);
    level = Math.min(5, Math.max(0.2, (obs + 5) / (exp + 5)));
  }

  double level() {
    return level;
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
