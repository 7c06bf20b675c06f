package callwatch.aggregator.cluster;

import io.vertx.core.json.JsonObject;

/**
 * What a member keeps on its own disk of an agent's state in the cluster: enough to give the agent
 * back its dedup mark and its epoch's numbering if the cluster loses that state (its primary and
 * backup were on two members that died at once).
 */
public record AgentIdentity(long lastSeq, String epoch, long seqBase, long epochFloor) {
  public JsonObject toJson() {
    return new JsonObject().put("epoch", epoch).put("seqBase", seqBase).put("epochFloor", epochFloor);
  }

  /** From a saved state; a state written before identities were kept has the lastSeq alone. */
  public static AgentIdentity fromJson(long lastSeq, JsonObject o) {
    if (o == null) return new AgentIdentity(lastSeq, null, 0, 0);
    return new AgentIdentity(lastSeq, o.getString("epoch", ""), o.getLong("seqBase", 0L), o.getLong("epochFloor", 0L));
  }
}
