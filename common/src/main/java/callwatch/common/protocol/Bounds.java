package callwatch.common.protocol;

/**
 * Every limit the protocol puts on what a peer sends, in one place (docs/protocol.md lists them
 * with what happens past each). The agent applies the same rules to its lines, so a well-behaved
 * agent never has a batch refused; the aggregator applies them to every frame, so a hostile or
 * broken sender gets a reason instead of reaching the store. Pure.
 */
public final class Bounds {
  /** Service, op, vendor, host and pharmacy names: at most this many characters. */
  public static final int MAX_LABEL_CHARS = 64;
  /** One counter of one row of one batch. Far above a slot's real traffic; sums can never wrap. */
  public static final long MAX_COUNTER = 1_000_000_000_000L;
  /** Slots and {@code closedBefore} at most this far ahead of the aggregator's clock (agent hosts' skew). */
  public static final long MAX_AHEAD_SECONDS = 3600;
  /** An agent rejects a line stamped further than this ahead of its own host's clock. */
  public static final long LINE_MAX_AHEAD_SECONDS = 900;
  /** Slots older than this are refused: the coarsest round-robin archive keeps 400 days. */
  public static final long MAX_AGE_SECONDS = 400L * 86400;
  /** The agent's own figures: counters, files, samples per file, characters per sample or path. */
  public static final int MAX_STATS_COUNTERS = 64;
  public static final int MAX_STATS_FILES = 256;
  public static final int MAX_SAMPLES_PER_FILE = 5;
  public static final int MAX_SAMPLE_CHARS = 200;
  public static final int MAX_PATH_CHARS = 1024;
  /** Identifiers of an agent state (epochs): letters, digits and '-', at most this long. */
  public static final int MAX_EPOCH_CHARS = 64;
  /** Browsers only listen on {@code /live}: a message from one larger than this closes it. */
  public static final int MAX_BROWSER_MESSAGE_BYTES = 4096;
  /** A WebSocket frame on the aggregator's port (agents split larger batches into several frames). */
  public static final int MAX_FRAME_BYTES = 1 << 20;
  /** One agent message (a batch), however many frames it takes. */
  public static final int MAX_AGENT_MESSAGE_BYTES = 64 << 20;

  private Bounds() {}

  /** Why {@code label} (the value of {@code field}) is not acceptable, or null if it is. */
  public static String labelProblem(String field, String label) {
    if (label == null || label.isEmpty()) return field + " is empty";
    if (label.codePointCount(0, label.length()) > MAX_LABEL_CHARS) {
      return field + " is longer than " + MAX_LABEL_CHARS + " characters";
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') return field + " holds a control character";
      if (Character.isSurrogate(c)) {
        boolean paired = Character.isHighSurrogate(c) && i + 1 < label.length() && Character.isLowSurrogate(label.charAt(i + 1));
        if (!paired) return field + " holds a broken character (unpaired surrogate)";
        i++;
      }
    }
    return null;
  }

  /** Whether {@code slot} (epoch seconds) lies in [now − MAX_AGE, now + MAX_AHEAD]. */
  public static String timeProblem(String field, long seconds, long nowSeconds) {
    if (seconds > nowSeconds + MAX_AHEAD_SECONDS) {
      return field + " " + seconds + " is more than " + MAX_AHEAD_SECONDS + " s ahead of the aggregator's clock (" + nowSeconds + ")";
    }
    if (seconds < nowSeconds - MAX_AGE_SECONDS) {
      return field + " " + seconds + " is older than the " + MAX_AGE_SECONDS / 86400 + " days of history kept";
    }
    return null;
  }
}
