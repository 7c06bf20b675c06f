package callwatch.aggregator.cluster;


/**
 * The cluster's record of one agent: the last batch stored (for deduplication, on any member and
 * after any restart of a member), the slots it has closed, and its latest figures for the agents page.
 */
public final class AgentState {
  /**
   * The last batch stored, in the cluster's own numbering: an agent's seq plus {@link #seqBase}.
   * It only grows, across the agent's epochs, so the slot entries' sets of applied batches stay valid.
   */
  public long lastSeq;
  /** The agent's current state (see {@code Hello#epoch}); "" for agents older than epochs. */
  public String epoch = "";
  /** Added to the current epoch's seqs: the cluster's lastSeq when that epoch began. */
  public long seqBase;
  /** How many times the agent's state was recreated (a wiped state folder, a reinstalled server). */
  public int epochs;
  public long epochSinceMillis;
  /**
   * The agent's closed mark when its current epoch began: the slots before it were already
   * counted, so calls a new epoch sends for them (its log files read again from the start) are
   * not added twice but counted in {@link #rereadCalls}.
   */
  public long epochFloor;
  public long rereadCalls;
  /** Slots before this are complete for this agent: every member may write them to its RRD files. */
  public long closedBefore;
  /** The oldest slot this agent ever sent: where a member with no history of it starts writing. */
  public long firstSlot = Long.MAX_VALUE;
  public String host = "";
  public String version = "";
  public long lastContactMillis;
  /** The agent's event time up to which it has sent every call (see {@code Batch#seenUpToMillis}): detection's clock. */
  public long seenUpToMillis;
  public long connectedSinceMillis;
  /** Calls the aggregator moved into the first open slot because their slot was already closed. */
  public long lateCalls;
  public String statsJson = "{}";
}
