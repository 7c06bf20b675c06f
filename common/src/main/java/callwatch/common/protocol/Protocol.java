package callwatch.common.protocol;

/** Constants of the wire protocol, described in docs/protocol.md. */
public final class Protocol {
  /** Raised only for a change that an older peer cannot read; see docs/protocol.md. */
  public static final int VERSION = 2;
  public static final String AGENT_PATH = "/agent";
  /** Header that carries the agent's credential: {@code Bearer <agentId>:<secret>}. */
  public static final String AUTH_HEADER = "Authorization";

  public static final String HELLO = "hello";
  public static final String WELCOME = "welcome";
  public static final String BATCH = "batch";
  public static final String ACK = "ack";
  public static final String ERROR = "error";
  /** The member holds a batch received (for detection's pace): the agent's ack timer starts again. */
  public static final String WAIT = "wait";

  private Protocol() {}

  public static String bearer(String agentId, String secret) {
    return "Bearer " + agentId + ":" + secret;
  }
}
