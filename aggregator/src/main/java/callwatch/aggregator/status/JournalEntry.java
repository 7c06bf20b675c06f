package callwatch.aggregator.status;

/**
 * One entry of an incident's journal: appended, never changed. A correction is a new entry that
 * names the one it supersedes. {@code hash} chains it to the entry before ({@code prevHash}), so a
 * gap or an edit in an export shows (see {@link JournalChain}). Times are epoch seconds.
 *
 * @param kind     seen, decided, done, called, note, link, public (the public state and message
 *                 changed), opened, closed
 * @param internal operators only: partners do not see it
 */
public record JournalEntry(int seq, long at, String by, String kind, String text, boolean internal, int supersedes,
                           String prevHash, String hash) {
  public static final java.util.Set<String> KINDS = java.util.Set.of("seen", "decided", "done", "called", "note", "link");
}
