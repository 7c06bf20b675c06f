package callwatch.common.model;

/** The outcome of one call as the logs state it; maps onto the counter vector of {@link Metrics}. */
public enum Outcome {
  OK, ERROR, TIMEOUT;

  public int metricIndex() {
    return switch (this) {
      case OK -> Metrics.OK;
      case ERROR -> Metrics.ERROR;
      case TIMEOUT -> Metrics.TIMEOUT;
    };
  }
}
