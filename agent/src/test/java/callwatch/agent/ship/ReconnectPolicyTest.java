package callwatch.agent.ship;

import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.agent.config.AgentConfig;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * After an aggregator restart, a hundred agents with the default reconnect settings must come
 * back spread out, not in the same second. Each agent's attempts are played out on a timeline:
 * all lose the connection at 0, the aggregator is back at {@code downMillis}; an agent is back at
 * its first attempt after that.
 */
class ReconnectPolicyTest {
  private static final int AGENTS = 100;

  @Test
  @DisplayName("100 agents after a 2-minute aggregator outage: all back within seconds, spread, not in one second")
  void aHundredAgentsSpreadTheirReconnections() {
    TreeMap<Long, Integer> perSecond = backPerSecond(120_000);
    long first = perSecond.firstKey(), last = perSecond.lastKey();
    int busiest = perSecond.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    // the aggregator paces what they send (503 with Retry-After while its ingest is full): the
    // agents' own job is to be back soon and not all in the same second
    assertTrue(last - first >= 3, "reconnections spread over at least 3 s: " + perSecond);
    assertTrue(busiest <= 40, "at most 40 of 100 agents in any one second: " + perSecond);
    assertTrue(last * 1000 - 120_000 <= AgentConfig.DEFAULT_RECONNECT_MAX.toMillis() + 1000,
        "everyone is back within the longest backoff: " + perSecond);
  }

  @Test
  @DisplayName("100 agents after a 5-second outage: back within 15 s, still not all at once")
  void aShortOutageIsShortForEveryone() {
    TreeMap<Long, Integer> perSecond = backPerSecond(5_000);
    int busiest = perSecond.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    assertTrue(perSecond.lastKey() <= 15, "everyone is back within 15 s: " + perSecond);
    assertTrue(busiest <= 60, "not all 100 in one second: " + perSecond);
  }

  /** Per second since the outage began: how many agents reconnect in it. */
  private static TreeMap<Long, Integer> backPerSecond(long downMillis) {
    TreeMap<Long, Integer> out = new TreeMap<>();
    for (int a = 0; a < AGENTS; a++) {
      ReconnectPolicy p = new ReconnectPolicy(AgentConfig.DEFAULT_RECONNECT_MIN.toMillis(),
          AgentConfig.DEFAULT_RECONNECT_MAX.toMillis(), new Random(a));
      long t = 0;
      while (t < downMillis) t += p.nextDelayMillis();
      out.merge(t / 1000, 1, Integer::sum);
    }
    return out;
  }
}
