package callwatch.aggregator.store;

import callwatch.aggregator.cluster.AgentSlot;
import callwatch.aggregator.cluster.LiveCache;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds a broken round-robin file (one a killed process left half-created, or a damaged disk
 * block): the broken file is set aside, a peer's whole copy takes its place when a peer has one,
 * and the slots between that copy (or the start of the cache window) and this member's written
 * mark are written again from the replicated cache. Blocking; runs on the RRD writer thread.
 */
public final class FileRepair {
  /** Fetches a peer's copy of a file by its path under the rrd folder; null if no peer has a whole one. */
  public interface PeerCopies {
    byte[] fetchBlocking(String relativePath);
  }

  private static final int SLOTS_PER_READ = 360;
  private final RrdRepository repo;
  private final LiveCache cache;
  private final PeerCopies peers;
  private final long cacheWindowSeconds;

  public FileRepair(RrdRepository repo, LiveCache cache, PeerCopies peers, long cacheWindowSeconds) {
    this.repo = repo;
    this.cache = cache;
    this.peers = peers;
    this.cacheWindowSeconds = cacheWindowSeconds;
  }

  /** Rebuilds {@code s}'s file up to {@code writtenUpTo} (its agent's mark); says what it did, for the log. */
  public String rebuildBlocking(Source s, long writtenUpTo) throws IOException {
    repo.setAsideBlocking(s);
    byte[] copy = peers.fetchBlocking(repo.root().relativize(s.path(repo.root())).toString());
    boolean fromPeer = copy != null && repo.installCopyBlocking(s, copy);
    if (writtenUpTo == Long.MIN_VALUE) return "made anew (nothing of it was written yet)";
    long from = fromPeer ? repo.lastUpdateBlocking(s) : writtenUpTo - cacheWindowSeconds;
    long slots = fromCacheBlocking(s, from, writtenUpTo);
    return (fromPeer ? "rebuilt from a peer's copy" : "rebuilt from the cache alone (its older history is on the peers only)")
        + " and " + slots + " slots from the cache";
  }

  /**
   * Writes {@code s}'s slots in [from, to) that the cache still holds into its file (made if
   * missing; rows the file has are left as they are), then moves the file on to {@code to}.
   * Returns the slots written.
   */
  public long fromCacheBlocking(Source s, long from, long to) throws IOException {
    long slots = 0;
    for (long start = from; start < to; start += (long) SLOTS_PER_READ * RrdLayout.STEP) {
      Set<String> keys = new LinkedHashSet<>();
      long end = Math.min(to, start + (long) SLOTS_PER_READ * RrdLayout.STEP);
      for (long t = start; t < end; t += RrdLayout.STEP) keys.add(AgentSlot.key(s.agent(), t));
      Map<String, AgentSlot> cached = cache.slotsBlocking(keys);
      for (long t = start; t < end; t += RrdLayout.STEP) {
        AgentSlot slot = cached.get(AgentSlot.key(s.agent(), t));
        long[] counts = slot == null ? null : SlotWriter.bySource(s.agent(), slot).get(s);
        if (counts != null && repo.writeBlocking(s, t, counts)) slots++;
      }
    }
    if (repo.hasFile(s)) repo.advanceBlocking(s, to);
    return slots;
  }
}
