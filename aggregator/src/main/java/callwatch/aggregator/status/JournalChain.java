package callwatch.aggregator.status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The hash chain of a journal: each entry's hash is SHA-256 over the previous entry's hash and
 * the entry's own fields, so changing, removing or inserting an entry breaks every hash after it.
 * Pure.
 */
public final class JournalChain {
  /** The previous hash of the first entry. */
  public static final String GENESIS = "0".repeat(64);

  private JournalChain() {}

  /** The entry with its place in the chain: seq, previous hash and hash filled in. */
  public static JournalEntry append(List<JournalEntry> chain, long at, String by, String kind, String text, boolean internal, int supersedes) {
    String prev = chain.isEmpty() ? GENESIS : chain.get(chain.size() - 1).hash();
    int seq = chain.size() + 1;
    return new JournalEntry(seq, at, by, kind, text, internal, supersedes, prev, hash(prev, seq, at, by, kind, text, internal, supersedes));
  }

  static String hash(String prev, int seq, long at, String by, String kind, String text, boolean internal, int supersedes) {
    // each field with its length: no two different entries give the same bytes
    StringBuilder b = new StringBuilder(prev);
    for (String f : new String[] {Integer.toString(seq), Long.toString(at), by, kind, text, Boolean.toString(internal), Integer.toString(supersedes)}) {
      b.append('|').append(f.length()).append(':').append(f);
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What is wrong with a chain (empty: it holds): a gap, an edit, a broken link. */
  public static List<String> verify(List<JournalEntry> chain) {
    List<String> problems = new ArrayList<>();
    String prev = GENESIS;
    for (int i = 0; i < chain.size(); i++) {
      JournalEntry e = chain.get(i);
      if (e.seq() != i + 1) problems.add("entry " + (i + 1) + " is numbered " + e.seq() + ": one is missing or out of place");
      if (!e.prevHash().equals(prev)) problems.add("entry " + e.seq() + " does not follow the entry before it");
      String expected = hash(e.prevHash(), e.seq(), e.at(), e.by(), e.kind(), e.text(), e.internal(), e.supersedes());
      if (!expected.equals(e.hash())) problems.add("entry " + e.seq() + " was changed after it was written");
      prev = e.hash();
    }
    return problems;
  }
}
