package callwatch.aggregator.ingest;

import callwatch.common.protocol.Protocol;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Tells who an agent is from its credential ({@code Authorization: Bearer <agentId>:<secret>}),
 * never from what it sends later. Pure.
 */
public final class AgentAuth {
  private final Map<String, String> secrets;
  private final boolean open;

  public AgentAuth(Map<String, String> secrets, boolean open) {
    this.secrets = Map.copyOf(secrets);
    this.open = open;
  }

  /** What a refused agent is told: the same whether the id is unknown or the secret wrong, so ids cannot be guessed. */
  public static final String BAD_CREDENTIAL = "unknown agent or wrong secret";

  /** The outcome: the agent id, or the reason for refusing (for this side's log) and the answer (for the client). */
  public record Verdict(String agentId, String refusal, String answer) {
    Verdict(String agentId, String refusal) {
      this(agentId, refusal, refusal);
    }

    public boolean accepted() {
      return agentId != null;
    }
  }

  public Verdict check(String header) {
    if (header == null || !header.startsWith("Bearer ")) {
      return new Verdict(null, "no credential: send " + Protocol.AUTH_HEADER + ": Bearer <agentId>:<secret>");
    }
    String cred = header.substring("Bearer ".length());
    int colon = cred.indexOf(':');
    if (colon <= 0) return new Verdict(null, "malformed credential: expected <agentId>:<secret>");
    String id = cred.substring(0, colon);
    String secret = cred.substring(colon + 1);
    if (!id.matches("[A-Za-z0-9._-]{1,64}")) return new Verdict(null, "malformed agent id");
    String expected = secrets.get(id);
    if (expected == null) {
      return open ? new Verdict(id, null) : new Verdict(null, "unknown or revoked agent '" + id + "'", BAD_CREDENTIAL);
    }
    boolean same = MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    return same ? new Verdict(id, null) : new Verdict(null, "wrong secret for agent '" + id + "'", BAD_CREDENTIAL);
  }
}
