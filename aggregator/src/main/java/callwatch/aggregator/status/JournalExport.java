package callwatch.aggregator.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An incident's journal as Markdown for the debriefing, written so that it can be checked again:
 * every entry keeps its fields, its hash and the hash before it, and {@link #verify} recomputes the
 * chain from the text alone, so an export edited afterwards, or with an entry taken out, fails.
 * Pure.
 */
public final class JournalExport {
  private static final Pattern HEAD = Pattern.compile("^#### #(\\d+) · (\\S+) · (\\S+) · by (.*?)( · internal)?( · supersedes #(\\d+))?$");
  private static final Pattern SEAL = Pattern.compile("^`at:(-?\\d+) prev:([0-9a-f]{64}) sha256:([0-9a-f]{64})`$");
  private static final Pattern CHAIN = Pattern.compile("^`chain: (\\d+) entries, last sha256:([0-9a-f]{64}|none), internal entries (included|left out)`$");

  private JournalExport() {}

  /** The export's header lines for an incident as {@link IncidentStore} keeps it (a public state never set is none). */
  public static List<String> header(io.vertx.core.json.JsonObject i) {
    List<String> header = new java.util.ArrayList<>();
    header.add("incident " + i.getString("id"));
    header.add("services: " + String.join(", ", i.getJsonArray("services").stream().map(String::valueOf).toList()));
    header.add("opened " + java.time.Instant.ofEpochSecond(i.getLong("openedAt")) + " by " + i.getString("openedBy"));
    if (i.getLong("closedAt") != null) header.add("closed " + java.time.Instant.ofEpochSecond(i.getLong("closedAt")) + " by " + i.getString("closedBy"));
    // the store writes the key with null until an operator sets one: a default for a missing key is not enough
    header.add("public state: " + java.util.Objects.requireNonNullElse(i.getString("publicState"), "none"));
    return header;
  }

  /** The incident's header lines (title, times, state) followed by every entry (internal ones only if {@code withInternal}). */
  public static String markdown(String title, List<String> header, List<JournalEntry> entries, boolean withInternal) {
    StringBuilder b = new StringBuilder("# ").append(oneLine(title)).append("\n\n");
    for (String h : header) b.append("- ").append(oneLine(h)).append('\n');
    b.append("\n## Journal\n\n`chain: ").append(entries.size()).append(" entries, last sha256:")
        .append(entries.isEmpty() ? "none" : entries.get(entries.size() - 1).hash()).append(", internal entries ")
        .append(withInternal ? "included" : "left out").append("`\n\n");
    for (JournalEntry e : entries) {
      if (e.internal() && !withInternal) continue;
      b.append("#### #").append(e.seq()).append(" · ").append(Instant.ofEpochSecond(e.at())).append(" · ").append(e.kind())
          .append(" · by ").append(e.by()).append(e.internal() ? " · internal" : "")
          .append(e.supersedes() > 0 ? " · supersedes #" + e.supersedes() : "").append('\n');
      for (String line : e.text().split("\n", -1)) b.append(line.isEmpty() ? ">" : "> " + line).append('\n');
      b.append("`at:").append(e.at()).append(" prev:").append(e.prevHash()).append(" sha256:").append(e.hash()).append("`\n\n");
    }
    b.append("---\nEach entry's sha256 covers the previous entry's hash and its own fields (docs/incidents.md);")
        .append(" the first entry follows ").append(JournalChain.GENESIS.substring(0, 8)).append("…. An export without the internal")
        .append(" entries shows where they were by the gaps in the numbering, and its links still check.\n");
    return b.toString();
  }

  /**
   * Reads the entries back from an export and checks them: each entry's hash against its fields,
   * and each link to the entry before it that the export holds (an export without internal entries
   * skips them: its numbering says where). Empty: the export is as written.
   */
  public static List<String> verify(String markdown) {
    List<String> problems = new ArrayList<>();
    String[] lines = markdown.split("\n", -1);
    Matcher chain = null;
    for (String line : lines) {
      Matcher c = CHAIN.matcher(line);
      if (c.matches()) chain = c;
    }
    if (chain == null) {
      problems.add("the chain line (how many entries, the last hash) is missing");
      return problems;
    }
    boolean complete = chain.group(3).equals("included");
    String previousHash = null;
    int previousSeq = 0;
    int entries = 0;
    for (int i = 0; i < lines.length; i++) {
      Matcher h = HEAD.matcher(lines[i]);
      if (!h.matches()) continue;
      entries++;
      int seq = Integer.parseInt(h.group(1));
      StringBuilder text = new StringBuilder();
      int j = i + 1;
      boolean first = true;
      while (j < lines.length && (lines[j].equals(">") || lines[j].startsWith("> "))) {
        if (!first) text.append('\n');
        text.append(lines[j].length() > 2 ? lines[j].substring(2) : "");
        first = false;
        j++;
      }
      Matcher seal = j < lines.length ? SEAL.matcher(lines[j]) : null;
      if (seal == null || !seal.matches()) {
        problems.add("entry " + seq + " has lost its hash line");
        continue;
      }
      long at = Long.parseLong(seal.group(1));
      String prev = seal.group(2), hash = seal.group(3);
      if (!Instant.ofEpochSecond(at).toString().equals(h.group(2))) problems.add("entry " + seq + ": its time was changed");
      int supersedes = h.group(7) == null ? 0 : Integer.parseInt(h.group(7));
      String expected = JournalChain.hash(prev, seq, at, h.group(4), h.group(3), text.toString(), h.group(5) != null, supersedes);
      if (!expected.equals(hash)) problems.add("entry " + seq + " was changed after it was written");
      if (seq <= previousSeq) problems.add("entry " + seq + " comes after entry " + previousSeq);
      if (complete && seq != previousSeq + 1) problems.add("entries " + (previousSeq + 1) + " to " + (seq - 1) + " are missing");
      if (previousHash == null ? seq == 1 && !prev.equals(JournalChain.GENESIS) : seq == previousSeq + 1 && !prev.equals(previousHash)) {
        problems.add("entry " + seq + " does not follow the entry before it");
      }
      previousHash = hash;
      previousSeq = seq;
      i = j;
    }
    int total = Integer.parseInt(chain.group(1));
    if (complete && previousSeq != total) problems.add("the journal has " + total + " entries; the export shows " + previousSeq);
    if (complete && total > 0 && !chain.group(2).equals(previousHash)) problems.add("the last entry is not the one the chain line names");
    return problems;
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ');
  }
}
