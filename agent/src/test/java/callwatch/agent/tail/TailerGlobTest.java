package callwatch.agent.tail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The README's glob: app.log and logrotate's copies of it, never a compressed copy. */
class TailerGlobTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"app.log, true", "app.log.1, true", "app.log.12, true", "app.log-20261202, true", "app.log.2.gz, false",
      "app.log.3.xz, false", "app.log.4.zst, false", "other.log, false", "app.lo, false"})
  void readmeGlob(String name, boolean read) {
    var matcher = FileSystems.getDefault().getPathMatcher("glob:app.log*");
    Path p = Path.of("/var/log/app", name);
    assertEquals(read, matcher.matches(p.getFileName()) && !Tailer.compressed(p));
  }
}
