package callwatch.aggregator.detect;

/**
 * What the detector knows of an agent: the event time up to which it has sent every call, and
 * when (wall time) any member last heard from it.
 */
public record AgentClock(String agent, String host, long seenUpToMillis, long heardWallMillis) {}
