package callwatch.aggregator.detect;

import org.apache.commons.math3.special.Beta;

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

  /**
   * The evidence (nats) that a server which took {@code mine} of its service's last {@code all}
   * calls (decayed counts) takes none of the next {@code others} by chance: −ln of the
   * beta-binomial probability of that, its share known only as well as those calls tell it. With
   * hours of calls this is {@code others} × −ln(1 − share); after a new installation's first three
   * calls, all its own, ten calls to its peers are 6.9 nats, not the 69 of a share taken as 100 %.
   */
  public static double noneOfNext(double mine, double all, long others) {
    if (others <= 0 || mine <= 0) return 0;
    double a = mine + 1;
    double b = Math.max(all - mine, 0) + 1;
    return Beta.logBeta(a, b) - Beta.logBeta(a, b + others);
  }

  /** Back to normal: the share fell under half-way between the usual share and the firing bar. */
  public static boolean cleared(long hits, long n, double usual, Rules.Jump rule) {
    if (n == 0) return true;
    double bar = Math.max(rule.factor() * usual, usual + rule.margin());
    return (double) hits / n < (usual + bar) / 2;
  }
}
