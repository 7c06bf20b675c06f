package callwatch.aggregator.store;

import callwatch.common.model.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A process that writes one source's slots into its round-robin file as the member's writer does
 * (the slot, then the written mark saved), from its saved mark on, until it is killed: what
 * {@link KilledWhileWritingTest} kills again and again. Test only.
 */
public final class SlotWritingProcess {
  static final Source SOURCE = new Source("agent-k", "web-k", "PCDH", "op0");
  static final long FIRST_SLOT = 1_780_000_000L;
  /** Fewer than the finest archive's rows: no slot written falls out of it. */
  static final int SLOTS = 8_000;

  private SlotWritingProcess() {}

  /** The calls written for {@code slot}: different from slot to slot, so a row read for the wrong slot shows. */
  static long[] countsOf(long slot) {
    long[] v = new long[Metrics.SIZE];
    long n = (slot - FIRST_SLOT) / RrdLayout.STEP;
    v[Metrics.CALLS] = 100 + n % 97;
    v[Metrics.ERROR] = n % 5;
    return v;
  }

  static long markOf(Path dir) throws java.io.IOException {
    Path mark = dir.resolve("mark");
    return Files.exists(mark) ? Long.parseLong(Files.readString(mark).trim()) : FIRST_SLOT;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    RrdRepository repo = new RrdRepository(dir.resolve("rrd"), 100, 0, 100);
    long from = markOf(dir);
    System.out.println("writing from " + from);
    System.out.flush();
    for (long t = from; t < FIRST_SLOT + SLOTS * (long) RrdLayout.STEP; t += RrdLayout.STEP) {
      repo.writeBlocking(SOURCE, t, countsOf(t));
      Path tmp = dir.resolve("mark.tmp");
      Files.writeString(tmp, Long.toString(t + RrdLayout.STEP));
      Files.move(tmp, dir.resolve("mark"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    System.out.println("done");
  }
}
