package callwatch.aggregator.detect;

/**
 * A one-sided CUSUM of the log-likelihood ratio between "calls come at the expected rate μ" and
 * "they come at ρ·μ" (ρ &lt; 1: a drop; ρ = 0: a stall). Observations are (calls seen, calls
 * expected) over consecutive intervals of event time. The score is evidence in nats: after t
 * silent seconds at λ calls per second a stall scores λ·t, so a threshold h is crossed in h/λ
 * seconds — fast at peak, honestly slow at night. {@code dispersion} (≥ 1) divides the evidence for
 * traffic that varies more than Poisson (quasi-likelihood). Pure.
 */
public final class PoissonCusum {
  private final double rho;
  private double dispersion;
  private double score;
  /** Event time (ms) the current run of evidence began, or -1 when the score is 0. */
  private long since = -1;

  public PoissonCusum(double rho, double dispersion) {
    if (rho < 0 || rho >= 1) throw new IllegalArgumentException("rho must be in [0, 1): " + rho);
    this.rho = rho;
    this.dispersion = Math.max(1, dispersion);
  }

  /** From now on, divides the evidence by {@code dispersion} (at least 1): what the service's history shows ({@link Dispersion}). */
  public void dispersion(double dispersion) {
    this.dispersion = Math.max(1, dispersion);
  }

  /** The evidence one interval adds: k calls where μ were expected (for a stall, ρ = 0: the calls expected, not divided). */
  double increment(double k, double mu) {
    if (rho == 0) return k > 0 ? Double.NEGATIVE_INFINITY : mu;
    return (k * Math.log(rho) + (1 - rho) * mu) / dispersion;
  }

  /** Adds an interval that began at {@code fromMillis} (event time) for good. */
  public void commit(double k, double mu, long fromMillis) {
    double s = score + increment(k, mu);
    if (!(s > 0)) {
      score = 0;
      since = -1;
    } else {
      if (score == 0) since = fromMillis;
      score = s;
    }
  }

  /** The score if the partial interval (k of μ so far) were added, without adding it. */
  public double peek(double k, double mu) {
    double s = score + increment(k, mu);
    return s > 0 ? s : 0;
  }

  /** When the run {@link #peek} would be part of began: the committed run's start, else {@code fromMillis}. */
  public long sinceIfPeek(long fromMillis) {
    return score > 0 ? since : fromMillis;
  }

  public double score() {
    return score;
  }

  public void reset() {
    score = 0;
    since = -1;
  }
}
