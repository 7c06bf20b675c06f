package callwatch.common.protocol;

/**
 * An agent's first message. {@code epoch} names its state: made at random when the agent's state
 * folder is created, so a reinstalled server (state wiped, seq back at 1) is told from a replay.
 * {@code spooled} is the newest batch the agent has cut so far: the aggregator refuses a batch
 * that jumps beyond what the agent can have spooled. An agent older than epochs sends neither
 * (epoch "" and spooled 0).
 */
public record Hello(String agent, String host, String version, String epoch, long spooled) {}
