package callwatch.agent.parse;

import callwatch.common.model.Metrics;

/** Maps the error codes of the logs onto counters of {@link Metrics}. */
final class Codes {
  private Codes() {}

  /** For {@code 0}, {@code E401}, {@code E500}, {@code E503}, {@code E504}: the counter index, -1 for 0 or another code. */
  static int appCode(byte[] b, int from, int to) {
    int n = to - from;
    if (n == 4 && b[from] == 'E') {
      int v = Timestamps.digits(b, from + 1, 3);
      return httpCode(v);
    }
    return -1;
  }

  static int httpCode(int status) {
    return switch (status) {
      case 401 -> Metrics.E401;
      case 500 -> Metrics.E500;
      case 503 -> Metrics.E503;
      case 504 -> Metrics.E504;
      default -> -1;
    };
  }

  /** Whether {@code b[from, to)} is a code the app format allows: 0 or E followed by three digits. */
  static boolean validAppCode(byte[] b, int from, int to) {
    int n = to - from;
    if (n == 1) return b[from] == '0';
    return n == 4 && b[from] == 'E' && Timestamps.digits(b, from + 1, 3) >= 0;
  }
}
