package callwatch.aggregator.cluster;

import java.io.Serializable;

/**
 * The cluster's record of one agent: the last batch stored (for deduplication, on any member and
 * after any restart of a member), the slots it has closed, and its latest figures for the agents page.
 */
public final class AgentState implements Serializable {
  private static final long serialVersionUID = 1L;
  public long lastSeq;
  /** Slots before this are complete for this agent: every member may write them to its RRD files. */
  public long closedBefore;
  /** The oldest slot this agent ever sent: where a member with no history of it starts writing. */
  public long firstSlot = Long.MAX_VALUE;
  public String host = "";
  public String version = "";
  public long lastContactMillis;
  public long connectedSinceMillis;
  /** Calls the aggregator moved into the first open slot because their slot was already closed. */
  public long lateCalls;
  public String statsJson = "{}";
}
