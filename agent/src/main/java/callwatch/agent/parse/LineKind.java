package callwatch.agent.parse;

/** What a parser made of a line. */
public enum LineKind {
  /** A call, now in the {@link ParsedCall}. */
  CALL,
  /** Not a call at all (start-up message, stack trace, blank line): counted, not an error. */
  OTHER,
  /** Looks like a call but cannot be read: counted per file, a few kept as samples. */
  REJECTED
}
