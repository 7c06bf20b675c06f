package callwatch.aggregator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An application writing call lines now: 10 calls a second of each service in {@link #flowing},
 * which a test changes to stop or resume a service. For detection's tests.
 */
public final class ServiceWriter implements AutoCloseable {
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
  public final Set<String> flowing = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean writing = true;

  public ServiceWriter(Path log, String... services) {
    flowing.addAll(Set.of(services));
    thread = new Thread(() -> {
      long n = 0;
      try {
        while (writing) {
          StringBuilder sb = new StringBuilder();
          String now = ISO.format(Instant.now().atOffset(ZoneOffset.UTC));
          for (String svc : flowing) {
            for (int i = 0; i < 2; i++, n++) {
              sb.append(now).append(" INFO [app-01] call service=").append(svc).append(" op=read pharmacy=").append(100100 + n % 50)
                  .append(" vendor=Corilus/4.2 status=OK code=0 ms=40\n");
            }
          }
          Files.writeString(log, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          Thread.sleep(200);
        }
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    thread.start();
  }

  @Override
  public void close() {
    writing = false;
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
