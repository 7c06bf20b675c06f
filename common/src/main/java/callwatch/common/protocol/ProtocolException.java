package callwatch.common.protocol;

/** A message that does not follow the wire protocol; the message says what is wrong with it. */
public class ProtocolException extends RuntimeException {
  public ProtocolException(String reason) {
    super(reason);
  }
}
