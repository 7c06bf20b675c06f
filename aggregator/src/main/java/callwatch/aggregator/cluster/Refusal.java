package callwatch.aggregator.cluster;

/**
 * Why an agent's batch was refused, since when, and at which of its batches it is stuck. A refused
 * batch is sent again after each reconnection (the agent keeps it), so the refusals of one stuck
 * batch are one streak: it began at {@code sinceMillis} and holds while nothing of the agent was
 * stored beyond {@code lastSeq}. Meanwhile the agent says hello every few seconds and would count as
 * heard: for detection it is silent since the streak began ("we cannot see", not "nobody calls").
 * Pure.
 */
public record Refusal(String reason, long atMillis, long sinceMillis, long lastSeq) {

  /** The refusal at {@code nowMillis} of an agent whose stored batches end at {@code lastSeq}, after {@code before} (or null). */
  public static Refusal next(Refusal before, String reason, long nowMillis, long lastSeq) {
    long since = before != null && before.lastSeq == lastSeq ? before.sinceMillis : nowMillis;
    return new Refusal(reason, nowMillis, since, lastSeq);
  }

  /** Whether it still holds for an agent whose stored batches now end at {@code storedLastSeq}. */
  public boolean holds(long storedLastSeq) {
    return storedLastSeq <= lastSeq;
  }

  /** When detection last heard the agent: not after its streak of refusals began, if one holds ({@code r} may be null). */
  public static long heard(long heardMillis, Refusal r) {
    return r == null ? heardMillis : Math.min(heardMillis, r.sinceMillis);
  }
}
