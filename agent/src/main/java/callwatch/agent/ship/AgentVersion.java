package callwatch.agent.ship;

/** The agent's version as reported to the aggregator. */
public final class AgentVersion {
  public static final String VERSION = "0.1.0";

  private AgentVersion() {}
}
