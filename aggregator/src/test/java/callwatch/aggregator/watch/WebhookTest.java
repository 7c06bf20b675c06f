package callwatch.aggregator.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // url | how the logs name it: the receiver's address, never its path, query or user (a token is often there)
      "https://hooks.slack.com/services/T000/B000/XXXXSECRET | webhook ops (https://hooks.slack.com/…)",
      "https://user:pass@alerts.example.org:8443/in?token=abc | webhook ops (https://alerts.example.org:8443/…)",
      "http://127.0.0.1:9000/ | webhook ops (http://127.0.0.1:9000/…)",
      "not a url at all | webhook ops (an address that does not parse)",
  })
  @DisplayName("a webhook is named in the logs by its receiver's address only")
  void namedWithoutItsPath(String url, String expected) {
    assertEquals(expected, new Webhook("ops", url, "a-secret-of-16-chars", AlertRoute.ALL).toString());
  }
}
