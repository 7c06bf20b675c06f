package callwatch.aggregator.detect;

/**
 * Is a share of calls (errors, or calls slower than a bound) in a window far above its usual
 * share? A binomial log-likelihood ratio of the observed share against the usual one, with a
 * minimum of evidence — so that 1 error in 3 calls at night is not an alarm — and a minimum
 * effect size, so that a large crowd does not make a trivial rise significant. Pure.
 */
public final class Proportion {
  private Proportion() {}

  /** The evidence (nats) that {@code hits} of {@code n} come from a share above {@code usual}; 0 if not above. */
  public static double evidence(long hits, long n, double usual) {
    if (n <= 0 || hits <= 0) return 0;
    double p0 = Math.min(Math.max(usual, 1e-4), 0.999);
    double p = (double) hits / n;
    if (p <= p0) return 0;
    double llr = hits * Math.log(p / p0);
    if (hits < n) llr += (n - hits) * Math.log((1 - p) / (1 - p0));
    return llr;
  }

  /**
   * The verdict: at least {@code minHits} of at least {@code minCalls}, a share at least
   * {@code factor} times the usual one and {@code margin} above it, and evidence over {@code threshold}.
   */
  public static boolean jumped(long hits, long n, double usual, Rules.Jump rule) {
    if (n < rule.minCalls() || hits < rule.minHits()) return false;
    double p = (double) hits / n;
    if (p < Math.max(rule.factor() * usual, usual + rule.margin())) return false;
    return evidence(hits, n, usual) >= rule.threshold();
  }

  /** Back to normal: the share fell under half-way between the usual share and the firing bar. */
  public static boolean cleared(long hits, long n, double usual, Rules.Jump rule) {
    if (n == 0) return true;
    double bar = Math.max(rule.factor() * usual, usual + rule.margin());
    return (double) hits / n < (usual + bar) / 2;
  }
}
