package callwatch.aggregator.detect;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.PoissonDistribution;

/**
 * Pharmacies, minute by minute of event time: a <b>hog</b> calls far above its own usual and near or
 * above the hourly ceiling, judged on sliding windows of 90 s to 10 minutes projected to the hour
 * (so it is called within minutes, not after an hour; the open minute's calls so far count too,
 * in 10 s bins, so a window can begin where the hog began). Its usual is its share of the platform's calls
 * (learnt over six busy hours: a quiet Sunday hardly moves it), times the platform's calls in the window: a big pharmacy at the morning
 * peak is not a hog because it calls more than at 7:00; nor is it below its own pace of the hour
 * before the windows (a pharmacy on evening duty takes a far larger share than by day). The evidence is its calls against that
 * usual, or those to one service against its usual mix: software that loops on one service
 * stands out there long before its total does. A <b>no-contract</b> caller has most of its
 * calls, or of its calls to one service, refused with E401, again and again over a minute to an
 * hour — reported once per pharmacy and local day, over once an hour passes without a refusal. Pure.
 */
final class PharmacyWatch {
  /** Minutes of calls kept per pharmacy: the longest window of either judgement. */
  private static final int MINUTES = 60;
  /**
   * The share of the ceiling a window's projection must reach. Two minutes of a pharmacy at exactly
   * the ceiling hold about 33 calls, give or take 6: at the full ceiling a third of such hogs would
   * take longer than 2 minutes (PharmacyWatchTest).
   */
  static final double HOG_GATE = 0.85;
  /**
   * Whole minutes, up to an hour: a pharmacy that calls a few times an hour, every call refused, never has three
   * refusals within ten minutes, yet it is as much without a contract as a busy one. Windows up to
   * ten minutes begin at any 10 s bin too ({@link #judgeRecentRefusals}).
   */
  private static final int[] NO_CONTRACT_WINDOWS = {10, 30, MINUTES};
  /**
   * Usual shares are learnt over six busy hours: a minute weighs by the platform's calls in it
   * against its busiest minutes of late, so a quiet night or Sunday hardly moves them (a big pharmacy
   * closed for the weekend keeps its share for Monday morning).
   */
  private static final double BUSY_HOURS_MINUTES = 360;
  /** The platform's busiest minute of late forgets itself over about a week. */
  private static final double BUSIEST_DECAY = Math.exp(-1 / (7 * 1440.0));
  private double busiestMinute;
  /** Minutes of pharmacy traffic the detector must have seen before it judges a hog by its usual rate. */
  static final int WARM_MINUTES = 20;
  /** A pharmacy unseen for this many busy minutes (a day's worth: two days or more) is forgotten. */
  private static final int FORGET_MINUTES = 24 * 60;
  private final Rules rules;
  /**
   * How bunched all pharmacies' calls are together: known within minutes of a fresh start, when a
   * pharmacy's own minutes are still too few to show it (bunched calls gave false hogs from the 20th minute on).
   */
  private final Bunching platformBunching = new Bunching(Bunching.PLATFORM_PAIRS);
  private final Map<String, Pharmacy> pharmacies = new HashMap<>();
  private final RefusingServices refusing = new RefusingServices();
  private int minutesSeen;
  /** The first minute seen (epoch seconds): the ring's minutes before it were not watched. */
  private long firstMinute;
  private final int[] platform = new int[MINUTES];
  private double usualPlatform;
  /** The platform's E401 answers, decayed like its calls: refusals most pharmacies get now and then. */
  private double usualRefused;
  /**
   * The evidence (nats) a caller's refusals must hold against the platform's usual share of E401,
   * beyond its count and share: where one call in 2,000 is refused anyway, three in a row of a
   * small pharmacy turn up among 5,000 pharmacies within weeks (bench/detection.sh saw one); four
   * do not. With no E401 seen yet (a share under 1 in 10,000), three are enough, as before.
   */
  static final double NO_CONTRACT_EVIDENCE = 25;
  /** Hogs are judged on windows that begin at any 10 s bin of the last 10 minutes. */
  private final Bins platformBins = new Bins();
  private long platformOpenSeen;
  /** The open minute's calls are binned up to here (event seconds): the next calls seen came after. */
  private long binnedUpTo = Long.MIN_VALUE;

  /** Services judged per pharmacy: a pharmacy's own calls name a few; stray labels beyond these are left out. */
  static final int SERVICES_PER_PHARMACY = 16;

  /** One pharmacy's calls to one service: as the pharmacy's, in bins and decayed into its usual. */
  private static final class ServiceCalls {
    final String service;
    final Bins bins = new Bins();
    long minuteCalls;
    long openSeen;
    double usualCalls;
    /** Its E401, as the pharmacy's: a contract may be missing for one service only. */
    Bins e401Bins;
    long minuteE401;
    long openE401Seen;

    ServiceCalls(String service) {
      this.service = service;
    }
  }

  private static final class Pharmacy {
    /** 32-bit, as its {@link Bins}: 5,000 pharmacies' state is reached every minute, and its size is the cost. */
    final int[] calls = new int[MINUTES];
    /** Null while the ring holds no E401 (nearly every pharmacy): an hour's ring each is a cache miss each minute. */
    int[] e401;
    /** Its E401 in 10 s bins, beside {@link #bins}; null until its first E401. */
    Bins e401Bins;
    /** The open minute's E401 already in its bins. */
    long openE401Seen;
    /** The vendor behind most of its calls, for its alerts. */
    final MostCalled vendor = new MostCalled();
    /** E401 per service since first seen (a one-element array: no boxing per row); only pharmacies refused have any. */
    final Map<String, long[]> e401Services = new HashMap<>();
    /** The closing minute's calls and E401 so far, while its rows are added up. */
    long minuteCalls;
    long minuteE401;
    /** The E401 of the whole ring, kept as minutes come and go: judged for every pharmacy every minute. */
    long e401InRing;
    final Bins bins = new Bins();
    /** Its calls per service (a small list: scanned, not hashed). */
    final List<ServiceCalls> services = new java.util.ArrayList<>(4);
    /** The open minute's calls already in its bins. */
    long openSeen;
    /** Its calls and the platform's, decayed over hours: its usual share is the ratio. */
    double usualCalls;
    /** How bunched its calls are: see {@link #bunchFactor}. */
    final Bunching bunching = new Bunching(Bunching.PHARMACY_PAIRS);
    /** Busy minutes (see {@link #BUSY_HOURS_MINUTES}) since its last call. */
    double quietMinutes;
    Alert hog;
    /** Hog windows begin here at the earliest (event seconds): where its last hog was over. */
    long windowsFrom = Long.MIN_VALUE;
    Alert noContract;
    LocalDate noContractDay;

    /** Its calls to {@code service}, or null past {@link #SERVICES_PER_PHARMACY}. */
    ServiceCalls service(String service) {
      // indexed, not for-each: called once per pharmacy row, and the deployed inlining limits leave
      // each for-each an iterator on the heap (0.3 GB in a 4 h backlog's recording)
      // by reference first: the cache's reader shares one string per name (SharedNames), so the
      // text of neither name is reached; then by text, for a name that came otherwise
      for (int i = 0; i < services.size(); i++) {
        ServiceCalls c = services.get(i);
        if (c.service == service) return c;
      }
      for (int i = 0; i < services.size(); i++) {
        ServiceCalls c = services.get(i);
        if (c.service.equals(service)) return c;
      }
      if (services.size() >= SERVICES_PER_PHARMACY) return null;
      ServiceCalls c = new ServiceCalls(service);
      services.add(c);
      return c;
    }
  }

  PharmacyWatch(Rules rules) {
    this.rules = rules;
  }

  /** A closed minute (epoch seconds of its start) and every pharmacy's counts in it. */
  void minute(long minute, List<PharmacyCount> counts, Findings out) {
    if (minutesSeen == 0) firstMinute = minute;
    // one lookup per row: the rows add up in the pharmacy itself (thousands of rows a minute)
    long all = 0;
    long refused = 0;
    for (PharmacyCount c : counts) {
      Pharmacy p = pharmacies.computeIfAbsent(c.pharmacy(), k -> new Pharmacy());
      p.minuteCalls += c.calls();
      p.minuteE401 += c.e401();
      ServiceCalls sc = p.service(c.service());
      if (sc != null) {
        sc.minuteCalls += c.calls();
        sc.minuteE401 += c.e401();
      }
      p.vendor.add(c.vendor(), c.calls());
      if (c.e401() > 0) p.e401Services.computeIfAbsent(c.service(), k -> new long[1])[0] += c.e401();
      all += c.calls();
      refused += c.e401();
    }
    int slot = (int) Math.floorMod(minute / 60, MINUTES);
    long end = minute + 60;
    // the calls not yet binned came after the last look at the open minute (or at its start)
    long restAt = binnedUpTo > minute && binnedUpTo < end ? binnedUpTo : minute;
    platformBins.add(restAt, all - platformOpenSeen);
    platformOpenSeen = 0;
    binnedUpTo = end;
    platform[slot] = Bins.saturated(all);
    busiestMinute = Math.max(all, busiestMinute * BUSIEST_DECAY);
    double busy = busiestMinute > 0 ? all / busiestMinute : 0; // this minute's weight, 0 to 1
    double decay = Math.exp(-busy / BUSY_HOURS_MINUTES);
    usualPlatform = usualPlatform * decay + all * (1 - decay);
    usualRefused = usualRefused * decay + refused * (1 - decay);
    // the local day, once per minute: working it out per pharmacy cost more than judging them
    LocalDate day = Instant.ofEpochSecond(end).atZone(rules.zone()).toLocalDate();
    for (Iterator<Map.Entry<String, Pharmacy>> it = pharmacies.entrySet().iterator(); it.hasNext();) {
      Map.Entry<String, Pharmacy> e = it.next();
      Pharmacy p = e.getValue();
      long calls = p.minuteCalls;
      p.calls[slot] = Bins.saturated(calls);
      if (p.minuteE401 > 0 && p.e401 == null) p.e401 = new int[MINUTES];
      if (p.e401 != null) {
        int refusedNow = Bins.saturated(p.minuteE401);
        p.e401InRing += refusedNow - p.e401[slot];
        p.e401[slot] = refusedNow;
        if (p.e401InRing == 0) {
          p.e401 = null;
          p.e401Bins = null; // its bins hold the last 10 minutes: empty too
          for (int i = 0; i < p.services.size(); i++) p.services.get(i).e401Bins = null;
        }
      }
      p.bins.add(restAt, calls - p.openSeen);
      p.openSeen = 0;
      p.e401Bins = binRefused(p.e401Bins, restAt, p.minuteE401 - p.openE401Seen);
      p.openE401Seen = 0;
      p.minuteCalls = 0;
      for (ServiceCalls sc : p.services) {
        sc.bins.add(restAt, sc.minuteCalls - sc.openSeen);
        sc.openSeen = 0;
        sc.e401Bins = binRefused(sc.e401Bins, restAt, sc.minuteE401 - sc.openE401Seen);
        sc.openE401Seen = 0;
        sc.minuteE401 = 0;
      }
      p.minuteE401 = 0;
      p.quietMinutes = calls == 0 ? p.quietMinutes + busy : 0;
      // a pharmacy without a call this minute was judged on shorter windows of the same calls before
      if (p.hog != null || calls > 0) judgeHog(e.getKey(), p, slot, end, out);
      judgeNoContract(e.getKey(), p, slot, end, day, out);
      if (p.hog == null) {
        // learnt from the minute pair just older than the windows judged, as its own pace is: a hog's
        // rise would otherwise raise its own bar before it is called; nor do a past hog's minutes count,
        // nor the ring's empty minutes from before the detector's first (every pharmacy's calls "began" there)
        long older = minute - (BUNCHING_LAG + 1) * 60L;
        if (older >= firstMinute && older >= p.windowsFrom) {
          long before = p.calls[back(slot, BUNCHING_LAG + 1)], after = p.calls[back(slot, BUNCHING_LAG)];
          p.bunching.add(before, after);
          platformBunching.add(before, after);
        }
        p.usualCalls = p.usualCalls * decay + calls * (1 - decay);
        for (int i = 0; i < p.services.size(); i++) {
          ServiceCalls sc = p.services.get(i);
          sc.usualCalls = sc.usualCalls * decay + sc.minuteCalls * (1 - decay);
        }
      }
      for (int i = 0; i < p.services.size(); i++) p.services.get(i).minuteCalls = 0;
      if (p.quietMinutes > FORGET_MINUTES && p.hog == null && p.noContract == null) it.remove();
    }
    if (refusing.anyFiring()) {
      Map<String, long[]> byService = new HashMap<>();
      for (PharmacyCount c : counts) {
        long[] v = byService.computeIfAbsent(c.service(), k -> new long[2]);
        v[0] += c.calls();
        v[1] += c.e401();
      }
      refusing.minute(end, byService, out);
    }
    minutesSeen++;
  }

  private static long sum(int[] ring, int newest, int minutes) {
    long s = 0;
    for (int i = 0; i < minutes; i++) s += ring[back(newest, i)];
    return s;
  }

  private void judgeHog(String pharmacy, Pharmacy p, int newest, long end, Findings out) {
    double ceiling = rules.hogCallsPerHour();
    if (p.hog != null) {
      // over when the last five minutes project under half the ceiling, or are back near its usual
      // (a big pharmacy's usual may be over half the ceiling); judged five minutes after it fired at the earliest
      long lastFive = sum(p.calls, newest, 5);
      double share = usualPlatform > 0 ? p.usualCalls / usualPlatform : 0;
      boolean backToUsual = lastFive <= BACK_TO_USUAL * share * sum(platform, newest, 5);
      if (end - p.hog.firedAt >= 300 && (lastFive * 12.0 < 0.5 * ceiling || backToUsual)) {
        p.hog = out.resolve(p.hog, end);
        p.windowsFrom = end; // the hog's own minutes are not a new hog
      }
      return;
    }
    judgeWindows(pharmacy, p, newest, sum(p.calls, newest, 10), end, out);
    if (p.hog == null && minutesSeen >= WARM_MINUTES) judgeLongWindows(pharmacy, p, newest, end, out);
  }

  /**
   * The open minute so far: {@code counts} are its calls up to {@code upTo} (epoch seconds), every
   * minute before it closed. The calls seen since the last look go into the bin where that look
   * ended. Only an agent's lag can put calls late: a window may then hold up to that lag's worth
   * more of that agent's calls, and the platform's count in the same window grows alike, so the
   * evidence against the pharmacy's usual share is not inflated.
   * A hog that began inside a minute is called when two minutes of its calls are in, not when the
   * second whole minute after its start closes.
   */
  void peek(long minute, long upTo, List<PharmacyCount> counts, Findings out) {
    if (upTo <= minute || upTo >= minute + 60 || upTo <= binnedUpTo) return;
    Map<String, OpenRows> mine = new HashMap<>(); // each pharmacy's rows of the open minute so far, in one pass
    long all = 0;
    for (PharmacyCount c : counts) {
      OpenRows m = mine.computeIfAbsent(c.pharmacy(), k -> new OpenRows());
      m.calls += c.calls();
      m.e401 += c.e401();
      m.rows.add(c);
      all += c.calls();
    }
    long at = binnedUpTo > minute ? binnedUpTo : minute;
    platformBins.add(at, all - platformOpenSeen);
    platformOpenSeen = all;
    binnedUpTo = upTo;
    int closed = (int) Math.floorMod(minute / 60 - 1, MINUTES);
    LocalDate day = null;
    for (Map.Entry<String, OpenRows> e : mine.entrySet()) {
      Pharmacy p = pharmacies.computeIfAbsent(e.getKey(), k -> new Pharmacy());
      long calls = e.getValue().calls, refused = e.getValue().e401;
      if (calls <= p.openSeen) continue;
      p.bins.add(at, calls - p.openSeen);
      p.openSeen = calls;
      binOpenServices(p, e.getValue().rows, at);
      if (p.hog == null) judgeWindows(e.getKey(), p, closed, sum(p.calls, closed, 10) + calls, upTo, out);
      if (refused > p.openE401Seen) {
        p.e401Bins = binRefused(p.e401Bins, at, refused - p.openE401Seen);
        p.openE401Seen = refused;
        if (p.noContract == null) {
          if (day == null) day = Instant.ofEpochSecond(upTo).atZone(rules.zone()).toLocalDate();
          judgeRecentRefusals(e.getKey(), p, e.getValue().rows, upTo, day, out);
        }
      }
    }
  }

  /** One pharmacy's rows of the open minute so far, and their calls and E401. */
  private static final class OpenRows {
    long calls;
    long e401;
    final List<PharmacyCount> rows = new java.util.ArrayList<>(2);
  }

  /** The open minute's calls so far per service ({@code rows}: the pharmacy's), the new ones binned at {@code at}. */
  private static void binOpenServices(Pharmacy p, List<PharmacyCount> rows, long at) {
    for (PharmacyCount c : rows) {
      ServiceCalls sc = p.service(c.service());
      if (sc != null) { // the open minute so far, summed over its vendors' rows
        sc.minuteCalls += c.calls();
        sc.minuteE401 += c.e401();
      }
    }
    for (ServiceCalls sc : p.services) {
      sc.bins.add(at, sc.minuteCalls - sc.openSeen);
      sc.openSeen = Math.max(sc.openSeen, sc.minuteCalls);
      sc.minuteCalls = 0;
      if (sc.minuteE401 > sc.openE401Seen) {
        sc.e401Bins = binRefused(sc.e401Bins, at, sc.minuteE401 - sc.openE401Seen);
        sc.openE401Seen = sc.minuteE401;
      }
      sc.minuteE401 = 0;
    }
  }

  /** {@code bins} (made at the first E401: null until then) with {@code refused} E401 added at {@code at}. */
  private static Bins binRefused(Bins bins, long at, long refused) {
    if (refused <= 0) return bins;
    Bins b = bins == null ? new Bins() : bins;
    b.add(at, refused);
    return b;
  }

  /** The shortest window a caller without a contract is judged on: see {@link #judgeRecentRefusals}. */
  static final long NO_CONTRACT_MIN_SECONDS = 60;

  /**
   * A caller without a contract found in windows that begin at any 10 s bin of the last 10 minutes
   * and end at {@code end} (the open minute so far, or a minute's close), so that the calls that
   * passed before its first refusal are left out: windows of whole minutes mixed the onset
   * minute's passing calls in, and a pharmacy at 250 calls an hour waited for its second whole
   * minute of refusals (over 2 minutes in a third of bench/no-contract-draws.sh's draws). A window
   * lasts at least a minute, so that a few refusals in a row before calls pass again (a session
   * renewed) are judged with the calls that follow them; its refusals lie in two bins at least (a
   * burst of retries is one moment), and it must hold what the whole-minute windows must.
   * {@code rows}: the pharmacy's rows of the open minute (its vendor and service, if first seen there).
   */
  private void judgeRecentRefusals(String pharmacy, Pharmacy p, List<PharmacyCount> rows, long end, LocalDate day, Findings out) {
    if (p.e401Bins == null || day.equals(p.noContractDay)) return;
    RefusedWindow window = recentRefusals(p.e401Bins, p.bins, end);
    ServiceCalls refusedService = null;
    for (int i = 0; window == null && i < p.services.size(); i++) {
      ServiceCalls sc = p.services.get(i);
      if (sc.e401Bins != null && (window = recentRefusals(sc.e401Bins, sc.bins, end)) != null) refusedService = sc;
    }
    if (window == null) return;
    MostCalled vendor = new MostCalled();
    Map<String, long[]> services = new HashMap<>(p.e401Services);
    for (PharmacyCount c : rows) {
      vendor.add(c.vendor(), c.calls());
      if (c.e401() > 0) services.computeIfAbsent(c.service(), k -> new long[1])[0] += c.e401();
    }
    String vendorName = p.vendor.hasName() ? p.vendor.name() : vendor.name();
    String service = refusedService != null ? refusedService.service : mostRefused(services);
    fireNoContract(pharmacy, p, vendorName, service, refusedService != null, window, end, day, out);
  }

  /**
   * The shortest window of {@link #judgeRecentRefusals} in these bins (refused and all calls,
   * the pharmacy's or one service's) that makes a caller without a contract, or null.
   */
  private RefusedWindow recentRefusals(Bins refusedBins, Bins callBins, long end) {
    long newest = Math.floorDiv(end - 1, Bins.SECONDS);
    long refused = 0, calls = 0;
    int binsWith = 0;
    for (int i = 0; i < Bins.SIZE; i++) {
      long bin = newest - i, start = bin * Bins.SECONDS;
      if (start < firstMinute) return null; // before the detector's first minute its passing calls were not seen
      long r = refusedBins.get(bin);
      refused += r;
      calls += callBins.get(bin);
      if (r > 0) binsWith++;
      if (end - start >= NO_CONTRACT_MIN_SECONDS && r > 0 && binsWith >= 2 && refusedEnough(refused, calls)) {
        return new RefusedWindow(start, refused, calls);
      }
    }
    return null;
  }

  /**
   * Enough refusals, most of the calls, and more than the platform's stray refusals give by chance
   * ({@link #NO_CONTRACT_EVIDENCE}): a stray E401, or three, is not a caller without a contract.
   */
  private boolean refusedEnough(long refused, long calls) {
    return refused >= rules.noContractCalls() && refused >= rules.noContractShare() * calls
        && Proportion.evidence(refused, calls, usualPlatform > 0 ? usualRefused / usualPlatform : 0) >= NO_CONTRACT_EVIDENCE;
  }

  /** A window from {@code since} (epoch seconds) and its refused and all calls. */
  private record RefusedWindow(long since, long refused, long calls) {}

  /**
   * The shortest window of {@link #NO_CONTRACT_WINDOWS} minutes back from {@code newest} (the minute closing at {@code end}) that makes
   * a caller without a contract, or null: refused enough ({@link #refusedEnough}), in more than one minute.
   */
  private RefusedWindow noContractWindow(Pharmacy p, int newest, long end) {
    for (int w : NO_CONTRACT_WINDOWS) {
      long refused = 0, calls = 0;
      int minutesWith = 0;
      for (int i = 0; i < w; i++) {
        long r = p.e401 == null ? 0 : p.e401[back(newest, i)];
        refused += r;
        calls += p.calls[back(newest, i)];
        if (r > 0) minutesWith++;
      }
      if (minutesWith >= 2 && refusedEnough(refused, calls)) {
        return new RefusedWindow(end - w * 60L, refused, calls);
      }
    }
    return null;
  }

  /** A hog is over once its last five minutes are within this factor of its usual (it fired at {@code hogPercentOfUsual}). */
  static final double BACK_TO_USUAL = 1.2;

  /** The shortest window a hog is judged on: a burst of a minute's calls is not an hourly rate. */
  static final long MIN_WINDOW_SECONDS = 90;

  /**
   * Every window from a bin of the last 10 minutes to {@code end}, shortest first: fires at the first
   * hog. {@code atMost}: its calls in the last 10 minutes or more; no window longer than they can
   * fill to the ceiling's bar is judged (at the platform's rate, most pharmacies are judged on a
   * few windows, not sixty, every 10 s). {@code newestClosed}: the ring's newest whole minute.
   */
  private void judgeWindows(String pharmacy, Pharmacy p, int newestClosed, long atMost, long end, Findings out) {
    if (minutesSeen < WARM_MINUTES) return;
    double longest = atMost * 3600.0 / (HOG_GATE * rules.hogCallsPerHour());
    if (longest < MIN_WINDOW_SECONDS) return; // not even the shortest window can reach the bar: most pharmacies, every minute
    long newest = Math.floorDiv(end - 1, Bins.SECONDS);
    long calls = 0;
    long all = 0;
    long[] serviceCalls = new long[p.services.size()];
    for (int i = 0; i < Bins.SIZE && end - (newest - i) * Bins.SECONDS <= longest && (newest - i) * Bins.SECONDS >= p.windowsFrom; i++) {
      long bin = newest - i;
      calls += p.bins.get(bin);
      all += platformBins.get(bin);
      for (int k = 0; k < serviceCalls.length; k++) serviceCalls[k] += p.services.get(k).bins.get(bin);
      long seconds = end - bin * Bins.SECONDS;
      if (seconds >= MIN_WINDOW_SECONDS && judgeHog(pharmacy, p, calls, all, newestClosed, 10, serviceCalls, seconds, end, out)) return;
    }
  }

  /** How many minutes back the minute pairs that teach a pharmacy's bunching end: just older than the windows judged. */
  private static final int BUNCHING_LAG = 10;

  /**
   * Its calls per second over the ring's minutes older than the last {@code windowMinutes} (the 50
   * minutes before the last 10, for the bins' windows): a floor under its usual. A
   * pharmacy's share of the platform is learnt over busy hours, but some take a far larger share at
   * other times (on evening duty, open later than most): there its usual share underrates it, and a
   * burst its own last hour explains was called a hog (bench/detection.sh 11 3 800, 18:55: "920 an
   * hour, usually about 178"). A hog's own minutes reach this pace only after 10 minutes.
   */
  private static double ownPacePerSecond(Pharmacy p, int newestClosed, int windowMinutes) {
    long calls = 0;
    for (int i = windowMinutes; i < MINUTES; i++) calls += p.calls[back(newestClosed, i)];
    return calls / ((MINUTES - windowMinutes) * 60.0);
  }

  /**
   * Windows of whole minutes past the bins' 10, judged at a minute's close. Ten minutes of a
   * pharmacy whose calls come four at a time, at three times its usual, hold too little evidence
   * for the bar ({@link Bunching}): these call it within 15 to 30 minutes rather than never. A
   * pharmacy of single calls is called within the 10 minutes.
   */
  private static final int[] LONG_WINDOW_MINUTES = {15, 20, 30};

  /** The long windows back from {@code end} (a minute's close; {@code newest}: its slot in the ring), shortest first: fires at the first hog. */
  private void judgeLongWindows(String pharmacy, Pharmacy p, int newest, long end, Findings out) {
    long calls = 0, all = 0;
    int summed = 0;
    for (int w : LONG_WINDOW_MINUTES) {
      long start = end - w * 60L;
      if (w > minutesSeen || start < firstMinute || start < p.windowsFrom) return;
      for (; summed < w; summed++) {
        calls += p.calls[back(newest, summed)];
        all += platform[back(newest, summed)];
      }
      if (judgeHog(pharmacy, p, calls, all, newest, w, NO_SERVICES, w * 60L, end, out)) return;
    }
  }

  /** The long windows judge a pharmacy's whole count only: its services are binned over 10 minutes. */
  private static final long[] NO_SERVICES = {};

  /**
   * {@code calls} of the pharmacy ({@code serviceCalls} of them to each of its services), {@code
   * platformCalls} of all, in the {@code seconds} before {@code end}: fires if a hog. {@code newestClosed}:
   * the ring's newest whole minute, and {@code paceAfter} the minutes back from it the window may
   * reach, for {@link #ownPacePerSecond}.
   */
  private boolean judgeHog(String pharmacy, Pharmacy p, long calls, long platformCalls, int newestClosed, int paceAfter, long[] serviceCalls,
                           long seconds, long end, Findings out) {
    double ceiling = rules.hogCallsPerHour();
    double share = usualPlatform > 0 ? p.usualCalls / usualPlatform : 0;
    double perHour = calls * 3600.0 / seconds;
    if (perHour < HOG_GATE * ceiling) return false;
    // far above its usual: at least the factor times what its usual share of the window's calls gives, or its own recent pace
    double expected = Math.max(share * platformCalls, ownPacePerSecond(p, newestClosed, paceAfter) * seconds);
    if (calls < rules.hogFactor() * expected) return false;
    // and a count that share gives less than once in a hundred billion (the evidence), or such a count to one service against its usual mix,
    // both in bunches of its usual size: a pharmacy whose calls come four at a time holds a quarter of the evidence per call
    double bunch = bunchFactor(p);
    ServiceCalls loop = null;
    if (!beyondChance(calls / bunch, expected / bunch, 1)) {
      loop = serviceBeyondItsMix(p, serviceCalls, expected, bunch);
      if (loop == null) return false;
    }
    Alert a = out.fire("hog", Map.of("pharmacy", pharmacy, "vendor", p.vendor.name()), end - seconds, end);
    a.severity = "degraded";
    a.expected = ServiceWatch.round(expected);
    a.observed = calls;
    a.windowSeconds = seconds;
    a.score = ServiceWatch.round(perHour);
    a.reason = "pharmacy " + pharmacy + " calls at about " + Math.round(perHour) + " an hour (last " + windowText(seconds)
        + "), usually about " + Math.round(expected * 3600 / seconds) + " at this time";
    if (loop != null) {
      long toLoop = serviceCalls[p.services.indexOf(loop)];
      a.reason += "; " + toLoop + " of its " + calls + " calls to " + loop.service + ", usually about "
          + Math.round(expected * loop.usualCalls / p.usualCalls) + " in that time";
    }
    if (bunch >= 1.5) a.reason += "; its calls usually come about " + Math.round(bunch) + " at a time";
    p.hog = a;
    return true;
  }

  /**
   * The chance a hog's count must be beyond. Each pharmacy is judged every 10 s over several
   * windows, and the big ones, whose usual is near the bar, are judged so for hours each day: "once
   * in a billion" fired on chance about once a year of the bench's traffic (bench/detection.sh 15 3
   * 450: 13, 15 and 19 calls in three minutes where about 5 a minute were due, all Poisson draws;
   * one such in some fifteen runs of three weeks). Once in ten billion still fired, once the bench's
   * open minute held its calls as made (bench/detection.sh 24 3 500: a pharmacy usually at 15 a
   * minute made 43 in one minute, a draw of about 3 in a billion, and a 90 s window ending 20 s into
   * the next held 60 where 22.6 were due, just past that bar): about 50 windows a look, every 10 s,
   * make the bar's own chance some fifty times as likely per pharmacy. Once in a hundred billion.
   * It costs speed where the evidence decides (bench/hog-windows.sh: a typical pharmacy at 1,000 an
   * hour, median 267 s, not 222; looping software within 2 minutes in 51 of 100 draws, not 60); a
   * stricter bar still (once in a trillion) made looping software wait a minute longer.
   */
  static final double HOG_CHANCE = 1e-11;

  /**
   * What a pharmacy's counts are divided by before the Poisson test: how bunched its own calls are
   * once its minutes show it, and never less than the platform's (its own minutes are few at first,
   * and a pharmacy's ratio a little low lets its bunches' chance bursts through).
   */
  private double bunchFactor(Pharmacy p) {
    return Math.max(1, Math.max(platformBunching.ratio(), p.bunching.known() ? p.bunching.ratio() : 1));
  }

  /** Whether {@code observed} calls are more than a Poisson count of mean {@code expected} gives once in {@link #HOG_CHANCE} {@code tests}. */
  private static boolean beyondChance(double observed, double expected, int tests) {
    return observed > new PoissonDistribution(null, Math.max(expected, 0.5), 1e-14, 10_000_000).inverseCumulativeProbability(1 - HOG_CHANCE / tests);
  }

  /**
   * The service whose calls in the window are beyond chance against the pharmacy's usual mix (its
   * share of the pharmacy's usual calls, times what the pharmacy usually makes in the window), or
   * null: software looping on one service. Each of its services is a test of its own, so the bar is
   * divided among them. Counts are divided by the pharmacy's {@code bunch} factor, as its total is.
   */
  private static ServiceCalls serviceBeyondItsMix(Pharmacy p, long[] serviceCalls, double expected, double bunch) {
    if (p.usualCalls <= 0) return null; // no mix learnt: only the whole count can tell
    for (int k = 0; k < serviceCalls.length; k++) {
      ServiceCalls sc = p.services.get(k);
      if (beyondChance(serviceCalls[k] / bunch, expected * sc.usualCalls / p.usualCalls / bunch, serviceCalls.length)) return sc;
    }
    return null;
  }

  private static String windowText(long seconds) {
    return seconds % 60 == 0 ? seconds / 60 + " min" : seconds / 60 + " min " + seconds % 60 + " s";
  }

  /** {@code day}: the local day {@code end} falls in. */
  private void judgeNoContract(String pharmacy, Pharmacy p, int newest, long end, LocalDate day, Findings out) {
    if (p.noContract != null) {
      if (p.e401InRing == 0) p.noContract = out.resolve(p.noContract, end);
      return;
    }
    if (day.equals(p.noContractDay)) return; // once a day each
    // every window lies within the ring: too few refusals there, too few in each
    if (p.e401InRing < rules.noContractCalls()) return;
    judgeRecentRefusals(pharmacy, p, List.of(), end, day, out);
    if (p.noContract != null) return;
    RefusedWindow window = noContractWindow(p, newest, end);
    if (window != null) {
      fireNoContract(pharmacy, p, p.vendor.name(), mostRefused(p.e401Services), false, window, end, day, out);
    }
  }

  /** {@code serviceOnly}: the window holds {@code service}'s calls alone (its other calls pass). */
  private void fireNoContract(String pharmacy, Pharmacy p, String vendor, String service, boolean serviceOnly, RefusedWindow window, long end,
                              LocalDate day, Findings out) {
    long refused = window.refused(), calls = window.calls(), since = window.since();
    if (!refusing.missingContract(service, since, end, out)) return;
    Alert a = out.fire("no-contract", Map.of("pharmacy", pharmacy, "vendor", vendor, "service", service), since, end);
    a.severity = "degraded";
    a.expected = 0;
    a.observed = refused;
    a.windowSeconds = end - since;
    a.score = ServiceWatch.round((double) refused / Math.max(1, calls));
    String to = serviceOnly ? " calls to " + service : " calls";
    a.reason = "pharmacy " + pharmacy + " (" + vendor + ") was refused with E401 " + refused + " times of " + calls + to + " in "
        + windowText(end - since) + ": no contract" + (serviceOnly ? " for " + service : "");
    p.noContract = a;
    p.noContractDay = day;
  }

  /** The ring's index {@code i} minutes before {@code newest}. */
  private static int back(int newest, int i) {
    int k = newest - i;
    return k < 0 ? k + MINUTES : k;
  }

  private static String mostRefused(Map<String, long[]> counts) {
    return counts.entrySet().stream().max(java.util.Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0]))
        .map(Map.Entry::getKey).orElse("unknown");
  }
}
