package callwatch.aggregator.store;

import java.io.IOException;
import org.rrd4j.core.RrdDb;
import org.rrd4j.core.RrdMemoryBackendFactory;

/**
 * The bytes of a new, empty round-robin file of the {@link RrdLayout}, made by rrd4j in memory.
 *
 * <p>Why: rrd4j creates a file by mapping it and writing each of its ~1 M cells as unknown, one
 * by one, then syncing the 7.9 MiB ({@code bench/rrd-ingest.sh 4000 30} created 200 files in 4.6 s,
 * 1.4 s this way), and a new agent replaying a backlog creates all its files in its first slot
 * (196 files in {@code bench/catch-up.sh}). A file's bytes depend only on its start, so the bytes of the last
 * start are kept (softly: 7.9 MiB the collector may take back) and written as they are for every
 * file starting then.
 *
 * <p>Blocking; thread-safe.
 */
final class EmptyFiles {
  private long lastStart = Long.MIN_VALUE;
  private java.lang.ref.SoftReference<byte[]> lastBytes = new java.lang.ref.SoftReference<>(null);

  /** The bytes of an empty file whose last update is {@code start} (its first row is the slot starting then). */
  synchronized byte[] startingAt(long start) throws IOException {
    byte[] bytes = lastBytes.get();
    if (start != lastStart || bytes == null) {
      RrdMemoryBackendFactory memory = new RrdMemoryBackendFactory();
      try (RrdDb db = RrdDb.getBuilder().setBackendFactory(memory).setRrdDef(RrdLayout.definition("empty", start)).build()) {
        bytes = db.getBytes();
      }
      memory.delete("empty");
      lastBytes = new java.lang.ref.SoftReference<>(bytes);
      lastStart = start;
    }
    return bytes;
  }
}
