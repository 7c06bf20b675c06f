package callwatch.aggregator.detect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The detector: turns the agents' slots, in their own event time, into alerts. Called once a
 * second ({@link #tick}) with the agents' clocks and a way to read slots; it commits every slot
 * that all the agents it can see have passed, then judges the open slot's partial counts. A
 * replayed backlog therefore gives the same findings as live traffic, marked {@code late}.
 *
 * <p>"We cannot see" is told apart from "nobody calls": an agent not heard for
 * {@link Rules#silentAgentSeconds()} is a {@code silent-agent}; it is left out of the clock and
 * its usual share out of every expectation, so it raises no stall. An agent far behind the others
 * (catching up a backlog alone) is left out the same way, without an alert. Pure: no Vert.x, no
 * Hazelcast; the aggregator's {@code DetectionService} and the bench feed it.
 */
public final class Detector {
  /**
   * Reads what the cache holds: the rows of a slot (all agents, as far as they have sent), a minute's pharmacy counts
   * (one pharmacy, service and vendor may come in several rows, one per server: they add up).
   */
  public interface Source {
    List<Row> slot(long slot);

    List<PharmacyCount> minute(long minute);
  }

  /**
   * A service's tile: ok / degraded / outage / unknown, with the reason in words; {@code kind}: that
   * of the alert that sets it (null when none does); {@code sharedReason}: the reason as a partner
   * may read it, naming no server or agent.
   */
  public record Tile(String service, String state, String reason, double expectedPerSecond, String kind, String sharedReason) {
    Tile(String service, String state, String reason, double expectedPerSecond, String kind) {
      this(service, state, reason, expectedPerSecond, kind, reason);
    }
  }

  static final int STEP = ServiceWatch.STEP;
  /** An agent this far behind the newest one is catching up alone: left out of the clock (unless all of them are in a backlog). */
  static final long LAGGING_MILLIS = 120_000;
  /**
   * At most this many slots are committed per tick unless told otherwise ({@link #tick(long, Collection, Source, int)};
   * the aggregator sizes it by what slots cost, {@link WalkBudget}): a backlog is judged a little
   * behind its arrival rather than taking the cluster's store from the batches being stored; the
   * aggregator holds back batches that run too far ahead (its {@code DetectionPace}), so every slot
   * of a backlog is judged while the cache still has it.
   */
  static final int MAX_SLOTS_PER_TICK = WalkBudget.MIN;
  /**
   * A slot no agent sent anything for costs a tenth of one with rows (an empty read, nothing to
   * add up): a silence of days in a backlog (a server's logs with a week between two files) is
   * walked at five hours a second (at the least budget), so it holds the findings after it back for seconds, not hours.
   */
  static final int EMPTY_SLOTS_PER_SLOT = 10;
  private final Rules rules;
  private final Function<String, WeeklyProfile> profiles;
  private final Findings findings;
  private final Map<String, ServiceWatch> services = new TreeMap<>();
  private final Map<String, JumpWatch> jumps = new HashMap<>();
  /**
   * The error and latency tests' windows, per cell (service, op, vendor, version): the last minute
   * ({@code windowSeconds}), and 5 and 15 times as long for a subject whose minute holds too few calls
   * to be judged (a quiet service at night whose every call fails).
   */
  private final JumpWindows windows;
  private final PharmacyWatch pharmacies;
  private final Map<String, Alert> silentAgents = new HashMap<>();
  private final long warmupSeconds;
  private final long startedWallMillis;
  private long next = Long.MIN_VALUE;
  private long nextMinute = Long.MIN_VALUE;
  /** The slot at whose end the open minute's pharmacy calls were last judged. */
  private long pharmacyPeekedAt = Long.MIN_VALUE;
  private long clockMillis = Long.MIN_VALUE;
  private Set<String> included = Set.of();
  private Set<String> silent = Set.of();

  /**
   * @param profiles      a service's usual traffic from its history (looked up once per service)
   * @param warmupSeconds how far before the agents' clock the first tick starts committing (learning the shares and level)
   */
  public Detector(Rules rules, Function<String, WeeklyProfile> profiles, long warmupSeconds, long nowWallMillis) {
    this.rules = rules;
    this.profiles = profiles;
    this.findings = new Findings(rules.lateSeconds(), rules.holdDownSeconds());
    this.pharmacies = new PharmacyWatch(rules);
    this.warmupSeconds = warmupSeconds;
    this.startedWallMillis = nowWallMillis;
    int minute = Math.max(1, rules.windowSeconds() / STEP);
    this.windows = new JumpWindows(minute, LONGER_WINDOWS[0] * minute, LONGER_WINDOWS[1] * minute);
  }

  /** The longer windows of the error and latency tests, in multiples of the shortest. */
  static final int[] LONGER_WINDOWS = {5, 15};

  /** Alerts an earlier detector left firing: found again, they go on; not found again after the warm-up, they are resolved. */
  public void adopt(Collection<Alert> open) {
    for (Alert a : open) findings.adopt(a);
  }

  /** A service's profile learnt anew (the history has grown). */
  public void profile(String service, WeeklyProfile p) {
    ServiceWatch s = services.get(service);
    if (s != null) s.profile(p);
  }

  public Set<String> services() {
    return services.keySet();
  }

  /** The event time the detector has judged up to (ms), or Long.MIN_VALUE before the first tick with a clock. */
  public long clockMillis() {
    return clockMillis;
  }

  /** The event time (ms) up to which every slot is judged, or Long.MIN_VALUE before the first tick with a clock. */
  public long judgedUpToMillis() {
    return next == Long.MIN_VALUE ? Long.MIN_VALUE : next * 1000;
  }

  /** One round: returns the alerts that fired or resolved (copies). */
  public List<Alert> tick(long wallMillis, Collection<AgentClock> agents, Source source) {
    return tick(wallMillis, agents, source, MAX_SLOTS_PER_TICK);
  }

  /** The slots the last round walked, in whole-slot units (an empty slot counts a tenth). */
  public int walked() {
    return walked;
  }

  private int walked;

  /** One round committing at most {@code maxSlots} slots with rows: returns the alerts that fired or resolved (copies). */
  public List<Alert> tick(long wallMillis, Collection<AgentClock> agents, Source source, int maxSlots) {
    walked = 0;
    findings.tick(wallMillis);
    judgeAgents(wallMillis, agents);
    long newest = Long.MIN_VALUE;
    for (AgentClock a : agents) if (!silent.contains(a.agent())) newest = Math.max(newest, a.seenUpToMillis());
    // in a backlog (even the newest agent is late) every agent heard is replaying too: the clock waits
    // for the slowest, since leaving one out while its share is not yet known reads as a drop
    boolean backlog = newest != Long.MIN_VALUE && newest < wallMillis - rules.lateSeconds() * 1000;
    Set<String> in = new HashSet<>();
    long clock = Long.MAX_VALUE;
    for (AgentClock a : agents) {
      if (silent.contains(a.agent()) || a.seenUpToMillis() <= 0 || (!backlog && a.seenUpToMillis() < newest - LAGGING_MILLIS)) continue;
      in.add(a.agent());
      clock = Math.min(clock, a.seenUpToMillis());
    }
    included = in;
    // a detector just started on a backlog waits a moment for agents heard but without a clock yet
    // (their first batch is on its way): judged without them, the first agent would seem to carry everything
    boolean firstBatchesDue = false;
    if (backlog && next == Long.MIN_VALUE && wallMillis - startedWallMillis < rules.silentAgentSeconds() * 1000) {
      for (AgentClock a : agents) firstBatchesDue |= !silent.contains(a.agent()) && a.seenUpToMillis() <= 0;
    }
    if (in.isEmpty() || firstBatchesDue) {
      findings.settle(clockMillis == Long.MIN_VALUE ? Long.MIN_VALUE : clockMillis / 1000);
      return findings.drain();
    }
    clockMillis = Math.max(clockMillis, clock);
    long clockSeconds = clockMillis / 1000;
    if (next == Long.MIN_VALUE) {
      next = Math.floorDiv(clockSeconds - warmupSeconds, STEP) * STEP;
      nextMinute = Math.floorDiv(next, 60) * 60;
      warmEndSeconds = Math.floorDiv(clockSeconds, STEP) * STEP;
    }
    int budget = maxSlots * EMPTY_SLOTS_PER_SLOT;
    while (next + STEP <= clockSeconds && budget > 0) {
      List<Row> rows = source.slot(next);
      budget -= rows.isEmpty() ? 1 : EMPTY_SLOTS_PER_SLOT;
      walked += rows.isEmpty() ? 1 : EMPTY_SLOTS_PER_SLOT;
      commit(next, rows);
      next += STEP;
      while (nextMinute + 60 <= next) {
        pharmacies.minute(nextMinute, source.minute(nextMinute), findings);
        nextMinute += 60;
      }
    }
    walked /= EMPTY_SLOTS_PER_SLOT;
    if (next + STEP > clockSeconds) {
      peek(next, clockMillis / 1000.0 - next, source.slot(next));
      // the open minute's pharmacy calls, once per slot: counted up to the newest included agent's
      // time, so that a count can only be low for the time it is spread over (never a rate too high)
      if (nextMinute <= clockSeconds && next > pharmacyPeekedAt) {
        pharmacyPeekedAt = next;
        long upTo = clockSeconds;
        for (AgentClock a : agents) if (in.contains(a.agent())) upTo = Math.max(upTo, a.seenUpToMillis() / 1000);
        pharmacies.peek(nextMinute, Math.min(upTo, nextMinute + 59), source.minute(nextMinute), findings);
      }
    }
    // adopted alerts whose condition was not found again by shortly after the warm-up have ended
    // (a stall caught mid-slot is found again once the next slot shows it: hence the margin)
    if (!warm && next >= warmEndSeconds + ADOPT_MARGIN_SECONDS) {
      warm = true;
      resolveUnclaimed();
    }
    findings.settle(clockMillis / 1000);
    return findings.drain();
  }

  /** Where the warm-up ends (the agents' clock at the first tick): then adopted alerts not found again are resolved. */
  private long warmEndSeconds = Long.MIN_VALUE;
  private boolean warm;
  static final long ADOPT_MARGIN_SECONDS = 30;

  /** After the warm-up: an adopted alert whose condition was not found again has ended meanwhile. */
  private void resolveUnclaimed() {
    Set<Alert> claimed = new HashSet<>();
    for (ServiceWatch s : services.values()) {
      if (s.stallAlert != null) claimed.add(s.stallAlert);
      if (s.dropAlert != null) claimed.add(s.dropAlert);
      for (ServiceWatch.HostWatch h : s.hosts.values()) if (h.alert != null) claimed.add(h.alert);
    }
    for (JumpWatch j : jumps.values()) {
      if (j.errorAlert != null) claimed.add(j.errorAlert);
      if (j.latencyAlert != null) claimed.add(j.latencyAlert);
    }
    claimed.addAll(silentAgents.values());
    for (Alert a : findings.all()) {
      boolean pharmacy = a.kind.equals("hog") || a.kind.equals("no-contract");
      if (!claimed.contains(a) && !pharmacy) findings.resolve(a, next);
    }
  }

  private void judgeAgents(long wallMillis, Collection<AgentClock> agents) {
    Set<String> now = new HashSet<>();
    long limit = rules.silentAgentSeconds() * 1000;
    boolean settled = wallMillis - startedWallMillis >= limit; // a detector just started gives agents time to come back
    long newest = Long.MIN_VALUE;
    for (AgentClock a : agents) if (wallMillis - a.heardWallMillis() < limit) newest = Math.max(newest, a.seenUpToMillis());
    for (AgentClock a : agents) {
      boolean quiet = wallMillis - a.heardWallMillis() >= limit;
      if (quiet) now.add(a.agent());
      Alert open = silentAgents.get(a.agent());
      if (quiet && open == null && settled && carriesAnything(a.agent())) {
        // the others' event time: this agent's own clock stopped with it
        long at = newest == Long.MIN_VALUE ? wallMillis / 1000 : newest / 1000;
        long since = Math.min(at, a.seenUpToMillis() > 0 ? a.seenUpToMillis() / 1000 : at);
        Alert alert = findings.fire("silent-agent", Map.of("agent", a.agent(), "host", a.host()), since, at);
        alert.severity = "unknown";
        alert.windowSeconds = (wallMillis - a.heardWallMillis()) / 1000;
        alert.reason = "agent " + a.agent() + " (" + a.host() + ") has sent nothing for " + (long) alert.windowSeconds
            + " s: its calls cannot be seen";
        // not late: the silence is of now, whatever the agents' event time says
        alert.late = false;
        silentAgents.put(a.agent(), alert);
      } else if (!quiet && open != null) {
        long at = clockMillis == Long.MIN_VALUE ? wallMillis / 1000 : Math.max(clockMillis / 1000, open.firedAt);
        findings.resolve(open, at);
        silentAgents.remove(a.agent());
      }
    }
    silent = now;
  }

  private boolean carriesAnything(String agent) {
    for (ServiceWatch s : services.values()) if (s.knowsAgent(agent)) return true;
    return false;
  }

  private Map<String, SlotCounts> counts(List<Row> rows) {
    Map<String, SlotCounts> per = new HashMap<>();
    for (Row r : rows) {
      if (!included.contains(r.agent())) continue;
      per.computeIfAbsent(r.service(), k -> new SlotCounts()).add(r);
    }
    return per;
  }

  private void commit(long slot, List<Row> rows) {
    Map<String, SlotCounts> per = counts(rows);
    for (String svc : per.keySet()) services.computeIfAbsent(svc, s -> new ServiceWatch(s, rules, profileOf(s)));
    for (ServiceWatch s : services.values()) {
      SlotCounts c = per.getOrDefault(s.service, new SlotCounts());
      s.commit(slot, c, included, findings);
    }
    Map<String, long[]> subjectCounts = new HashMap<>();
    Map<String, long[]> cells = new HashMap<>();
    per.values().forEach(c -> {
      subjectCounts.putAll(c.subjects);
      cells.putAll(c.cells);
    });
    for (String key : subjectCounts.keySet()) jumps.computeIfAbsent(key, JumpWatch::new);
    windows.add(cells);
    judgeJumps(slot + STEP);
    for (JumpWatch j : jumps.values()) j.learn(subjectCounts.get(j.key));
  }

  private WeeklyProfile profileOf(String service) {
    WeeklyProfile p = profiles.apply(service);
    return p == null ? WeeklyProfile.empty(rules.zone()) : p;
  }

  private void peek(long slot, double seconds, List<Row> rows) {
    if (seconds <= 0) return;
    Map<String, SlotCounts> per = counts(rows);
    for (ServiceWatch s : services.values()) s.peek(slot, seconds, per.getOrDefault(s.service, new SlotCounts()), included, findings);
  }

  /**
   * Finest subjects first. The finest subject that explains a jump is the one alerted: a vendor
   * version fires only if it stands out from the rest of its vendor (or service) — when the whole
   * service fails, its versions do not; a coarser subject is judged without the calls of the finer
   * ones already firing — when one version fails, its service does not.
   */
  private void judgeJumps(long now) {
    // each window's cells grouped by service (a subject only ever looks at its service's cells), the
    // longer windows only once a quiet subject asks for them
    List<Map<String, List<Cell>>> byWindow = new ArrayList<>(java.util.Collections.nCopies(windows.count(), null));
    List<JumpWatch> order = new ArrayList<>(jumps.values());
    order.sort(Comparator.comparingInt((JumpWatch j) -> -j.depth).thenComparing(j -> j.key));
    // the subjects firing now: looking among all subjects for them cost (subjects)² per slot, which
    // a backlog of weeks pays for every 10 s of its event time
    List<JumpWatch> firing = new ArrayList<>();
    for (JumpWatch f : order) if (f.errorAlert != null || f.latencyAlert != null) firing.add(f);
    for (JumpWatch j : order) {
      JumpWatch parent = parentOf(j);
      List<JumpWatch> errorsExplained = new ArrayList<>(), slowExplained = new ArrayList<>();
      for (JumpWatch f : firing) {
        // calls a firing subject explains (one that is not j or above it) do not count again for j
        if (f == j || contains(f, j) || !f.subject.get("service").equals(j.subject.get("service"))) continue;
        if (f.errorAlert != null) errorsExplained.add(f);
        if (f.latencyAlert != null) slowExplained.add(f);
      }
      Judged forErrors = judged(byWindow, j, parent, errorsExplained, rules.errors().minCalls());
      Judged forLatency = slowExplained.equals(errorsExplained) && rules.latency().minCalls() == rules.errors().minCalls()
          ? forErrors : judged(byWindow, j, parent, slowExplained, rules.latency().minCalls());
      boolean wasFiring = j.errorAlert != null || j.latencyAlert != null;
      judgeErrors(j, parent, forErrors, now);
      judgeLatency(j, parent, forLatency, now);
      boolean isFiring = j.errorAlert != null || j.latencyAlert != null;
      if (isFiring && !wasFiring) firing.add(j);
      if (!isFiring && wasFiring) firing.remove(j);
    }
  }

  /** A subject's counts in the window it is judged on (seconds long), and the rest of its parent's there (null for a service). */
  private record Judged(long windowSeconds, long[] w, long[] rest) {}

  /**
   * The shortest window in which the subject has {@code minCalls} calls (the longest if none does):
   * a busy subject is judged on its last minute; a quiet one on as many minutes as hold enough calls.
   */
  private Judged judged(List<Map<String, List<Cell>>> byWindow, JumpWatch j, JumpWatch parent, List<JumpWatch> without, long minCalls) {
    String service = j.subject.get("service");
    for (int i = 0; ; i++) {
      if (byWindow.get(i) == null) byWindow.set(i, byService(windows.sums(i)));
      List<Cell> cells = byWindow.get(i).getOrDefault(service, List.of());
      long[] w = windowOf(cells, j, without);
      if (w[0] >= minCalls || i == byWindow.size() - 1) return new Judged((long) windows.length(i) * STEP, w, restOf(cells, j, parent));
    }
  }

  private Map<String, List<Cell>> byService(Map<String, long[]> sums) {
    Map<String, List<Cell>> byService = new HashMap<>();
    sums.forEach((key, v) -> {
      Cell c = new Cell(cellParts.computeIfAbsent(key, JumpWatch::subject), v);
      byService.computeIfAbsent(c.parts().get("service"), k -> new ArrayList<>()).add(c);
    });
    return byService;
  }

  /** A cell's window counts, with its key's parts (service, op, vendor, version). */
  private record Cell(Map<String, String> parts, long[] v) {}

  /** Cell keys parsed once: there are few and they come back every slot. */
  private final Map<String, Map<String, String>> cellParts = new HashMap<>();

  /** The window's counts of a subject's cells, less those of the given finer subjects. */
  private static long[] windowOf(List<Cell> cells, JumpWatch j, List<JumpWatch> without) {
    long[] w = new long[SlotCounts.WIDTH];
    for (Cell cell : cells) {
      if (!j.holds(cell.parts())) continue;
      boolean explained = false;
      for (JumpWatch f : without) explained |= f.holds(cell.parts());
      if (explained) continue;
      for (int i = 0; i < w.length; i++) w[i] += cell.v()[i];
    }
    return w;
  }

  private JumpWatch parentOf(JumpWatch j) {
    if (j.depth == 0) return null;
    JumpWatch service = jumps.get(JumpWatch.key(j.subject.get("service"), null, null, null));
    if (j.depth == 2) {
      JumpWatch vendor = jumps.get(JumpWatch.key(j.subject.get("service"), null, j.subject.get("vendor"), null));
      if (vendor != null) return vendor;
    }
    return service;
  }

  private static boolean contains(JumpWatch coarse, JumpWatch fine) {
    for (Map.Entry<String, String> e : coarse.subject.entrySet()) {
      if (!e.getValue().equals(fine.subject.get(e.getKey()))) return false;
    }
    return true;
  }

  /** The calls of j's parent that are not j's (of the whole service when the parent has too few others); null for a service. */
  private long[] restOf(List<Cell> cells, JumpWatch j, JumpWatch parent) {
    if (parent == null) return null;
    long[] rest = windowOf(cells, parent, List.of(j));
    if (rest[0] >= rules.errors().minCalls() || parent.depth == 0) return rest;
    return windowOf(cells, jumps.get(JumpWatch.key(j.subject.get("service"), null, null, null)), List.of(j));
  }

  /**
   * Whether a subject's share stands out from the rest of its service's calls. When the rest is too
   * small to compare with (a service with one op), the service itself is the finest subject that
   * says anything: the finer one stays quiet.
   */
  private static boolean standsOut(long hits, long n, long restHits, long restN, Rules.Jump rule) {
    if (restN < rule.minCalls()) return false;
    return Proportion.jumped(hits, n, (double) restHits / restN, rule);
  }

  private void judgeErrors(JumpWatch j, JumpWatch parent, Judged in, long now) {
    long[] rest = in.rest();
    long restHits = rest == null ? 0 : rest[SlotCounts.ERRORS];
    j.errorAlert = judgeJump(j, j.errorAlert, "error-rate", rules.errors(), in.w()[SlotCounts.ERRORS], in.w()[0],
        rest == null ? null : new long[] {restHits, rest[0]}, j.usualErrors(parent), now, in.windowSeconds(), "errors", " calls");
  }

  private void judgeLatency(JumpWatch j, JumpWatch parent, Judged in, long now) {
    int bucket = j.slowBucket(parent);
    if (bucket < 0) return;
    long boundMs = callwatch.common.model.Metrics.HISTOGRAM_BOUNDS_MS[bucket - 1];
    long[] rest = in.rest();
    long[] restSlow = rest == null ? null : new long[] {JumpWatch.slowCalls(rest, bucket), rest[0]};
    j.latencyAlert = judgeJump(j, j.latencyAlert, "latency", rules.latency(), JumpWatch.slowCalls(in.w(), bucket), in.w()[0], restSlow,
        j.usualSlow(parent, bucket), now, in.windowSeconds(), "of calls slower than " + boundMs + " ms", "");
  }

  /**
   * One proportion of a subject's calls in the window (errors, or calls slower than a bound) against
   * its usual share: fires when it jumped and stands out from the rest of its parent
   * ({@code rest} = hits and calls, null for a service), resolves when it cleared.
   *
   * @return the alert open after this judgement, or null
   */
  private Alert judgeJump(JumpWatch j, Alert open, String kind, Rules.Jump rule, long hits, long n, long[] rest, double usual, long now,
                          long windowSeconds, String what, String callsWord) {
    // a service's error-rate alert may also be its refusing (RefusingServices), resolved there
    if (open != null && !open.firing()) open = null;
    if (open != null) {
      if (Proportion.cleared(hits, n, usual, rule)) return findings.resolve(open, now);
      open.reasonNow = jumpWords(j, hits, n, usual, windowSeconds, what, callsWord);
      return open;
    }
    if (!Proportion.jumped(hits, n, usual, rule)) return null;
    if (rest != null && !standsOut(hits, n, rest[0], rest[1], rule)) return null;
    Alert a = findings.fire(kind, j.subject, now - windowSeconds, now);
    a.severity = "degraded";
    a.expected = ServiceWatch.round(usual * n);
    a.observed = hits;
    a.windowSeconds = windowSeconds;
    a.score = ServiceWatch.round(Proportion.evidence(hits, n, usual));
    a.reason = jumpWords(j, hits, n, usual, windowSeconds, what, callsWord);
    return a;
  }

  private static String jumpWords(JumpWatch j, long hits, long n, double usual, long windowSeconds, String what, String callsWord) {
    String window = windowSeconds == 60 ? "the last minute" : windowSeconds % 60 == 0 ? "the last " + windowSeconds / 60 + " minutes"
        : "the last " + windowSeconds + " s";
    return j.words() + ": " + Math.round(100.0 * hits / Math.max(1, n)) + " % " + what + " (" + hits + " of " + n + callsWord
        + " in " + window + "; usually " + percent(usual) + ")";
  }

  private static String percent(double share) {
    return share < 0.01 ? String.format(java.util.Locale.ROOT, "%.1f %%", 100 * share) : Math.round(100 * share) + " %";
  }

  /** Every service's tile, from what fires and what the detector can see. */
  public List<Tile> tiles() {
    List<Tile> out = new ArrayList<>();
    Map<String, List<Alert>> byService = new LinkedHashMap<>();
    for (Alert a : findings.active()) byService.computeIfAbsent(a.service(), k -> new ArrayList<>()).add(a);
    for (ServiceWatch s : services.values()) {
      double rate = s.lastRate;
      List<Alert> open = byService.getOrDefault(s.service, List.of());
      Alert worst = open.stream().filter(a -> a.severity.equals("outage")).findFirst()
          .orElse(open.stream().findFirst().orElse(null));
      if (worst != null) {
        String reason = clockMillis == Long.MIN_VALUE ? worst.reason : s.reasonNow(worst, clockMillis / 1000);
        out.add(new Tile(s.service, worst.severity.equals("outage") ? "outage" : "degraded", reason, rate, worst.kind,
            Alert.sharedReason(worst.kind, worst.subject, reason)));
      } else if (included.isEmpty() || s.includedShare(included) < 0.5) {
        List<String> blind = new ArrayList<>(silent);
        blind.sort(null);
        out.add(new Tile(s.service, "unknown", blind.isEmpty() ? "no agent reports" : "agent " + String.join(", ", blind)
            + " silent: its calls cannot be seen", rate, null,
            blind.isEmpty() ? "no agent reports" : "the calls of " + blind.size() + (blind.size() == 1 ? " server" : " servers")
                + " cannot be seen (agent silent)"));
      } else if (Double.isNaN(rate)) {
        out.add(new Tile(s.service, "unknown", "learning its usual traffic", rate, null));
      } else {
        out.add(new Tile(s.service, "ok", rate >= 1 ? "about " + Math.round(rate) + " calls/s expected"
            : "about " + Math.round(rate * 60) + " calls/min expected", rate, null));
      }
    }
    return out;
  }

  /** The alerts open now, those whose condition cleared but wait out the hold-down too (copies). */
  public List<Alert> open() {
    List<Alert> out = new ArrayList<>();
    for (Alert a : findings.all()) out.add(a.copy());
    return out;
  }
}
