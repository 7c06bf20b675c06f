package callwatch.aggregator.query;

/** A series names a service, op, host or agent that has never been seen: the API answers 404 with the known ones. */
public final class UnknownNameException extends RuntimeException {
  public UnknownNameException(String message) {
    super(message);
  }
}
