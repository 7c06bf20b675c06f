package callwatch.agent.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.MultiMap;
import io.vertx.core.http.UpgradeRejectedException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A busy aggregator paces its agents with Retry-After; anything else falls back to the agent's own backoff. */
class RetryAfterTest {
  @ParameterizedTest(name = "HTTP {0}, Retry-After ''{1}'' -> {2} ms")
  @CsvSource({"503, 2, 2000", "429, 8, 8000", "503, 600, 60000", "503, soon, -1", "503, , -1", "401, 2, -1", "500, 2, -1"})
  void retryAfter(int status, String header, long millis) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (header != null) headers.add("Retry-After", header);
    assertEquals(millis, Shipper.retryAfterMillis(new UpgradeRejectedException("refused", status, headers, null)));
  }
}
