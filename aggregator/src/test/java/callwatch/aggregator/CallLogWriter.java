package callwatch.aggregator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes app-format call lines to a real file the way an application and logrotate would, and
 * remembers exactly what it wrote: per service and per (service, 10 s slot).
 */
public final class CallLogWriter {
  public enum Rotation { RENAME, COPYTRUNCATE }

  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
  private static final String[] SERVICES = {"DPP", "RECIPE", "PCDH"};
  private final Path file;
  private final String host;
  private final Map<String, AtomicLong> perService = new ConcurrentHashMap<>();
  private final Map<String, TreeMap<Long, Long>> perSlot = new ConcurrentHashMap<>();
  private long written;
  private int rotations;

  public CallLogWriter(Path file, String host) {
    this.file = file;
    this.host = host;
  }

  public Path file() {
    return file;
  }

  /** Appends {@code n} call lines stamped {@code epochMillis} (+1 ms each). */
  public synchronized void write(int n, long epochMillis) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String svc = SERVICES[(int) (written % SERVICES.length)];
      long t = epochMillis + i;
      sb.append(ISO.format(Instant.ofEpochMilli(t).atOffset(ZoneOffset.ofHours(1)))).append(" INFO [").append(host)
          .append("] call service=").append(svc).append(" op=op").append(written % 2).append(" pharmacy=").append(100 + written % 7)
          .append(" vendor=V status=OK code=0 ms=").append(10 + written % 90).append('\n');
      perService.computeIfAbsent(svc, k -> new AtomicLong()).incrementAndGet();
      perSlot.computeIfAbsent(svc, k -> new TreeMap<>()).merge(Math.floorDiv(t, 10_000L) * 10, 1L, Long::sum);
      written++;
    }
    Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Rotates like logrotate: app.log.N shift up, then rename or copy+truncate the live file. */
  public synchronized void rotate(Rotation how) throws IOException {
    rotations++;
    for (int i = 8; i >= 1; i--) {
      Path older = file.resolveSibling(file.getFileName() + "." + i);
      if (Files.exists(older)) Files.move(older, file.resolveSibling(file.getFileName() + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
    }
    Path first = file.resolveSibling(file.getFileName() + ".1");
    if (how == Rotation.RENAME) {
      Files.move(file, first);
      Files.createFile(file);
    } else {
      Files.copy(file, first);
      try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.truncate(0);
      }
    }
  }

  public synchronized long written() {
    return written;
  }

  public synchronized long written(String service) {
    AtomicLong n = perService.get(service);
    return n == null ? 0 : n.get();
  }

  public synchronized TreeMap<Long, Long> perSlot(String service) {
    return new TreeMap<>(perSlot.getOrDefault(service, new TreeMap<>()));
  }

  public static String[] services() {
    return SERVICES.clone();
  }
}
