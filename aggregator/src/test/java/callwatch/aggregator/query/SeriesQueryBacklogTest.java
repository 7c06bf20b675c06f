package callwatch.aggregator.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.aggregator.OneMemberStore;
import callwatch.aggregator.store.SlotWriter;
import callwatch.common.model.Metrics;
import callwatch.common.protocol.SeriesRow;
import callwatch.common.protocol.SlotDelta;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog days old in event time, where the writer has put one agent's slots into the files and
 * not yet another's (it writes agent by agent, two hours each per round): a series over that time
 * must not present the first agent's calls as the whole. Detection learns its profile from such
 * series while a backlog is being stored; rows short of an agent made it expect up to four times
 * the real rate (bench/detection-path.sh: false drops and stalls of every service at once in the
 * first week of history).
 */
class SeriesQueryBacklogTest {
  @TempDir Path tmp;
  private OneMemberStore store;

  @AfterEach
  void stop() {
    if (store != null) store.close();
  }

  @Test
  @DisplayName("a row of a backlog that one agent has in the files and another only in the cache is not known until both are written")
  void writtenAndUnwrittenAgentsBothCount() throws Exception {
    store = new OneMemberStore(tmp);
    SlotWriter writer = store.writer;
    long now = System.currentTimeMillis() / 1000;
    long start = Math.floorDiv(now - 3 * 86400, 600) * 600; // three days ago: far outside the cache's window of wall time
    apply(store, "a1", "app1", start, 3600, 2);
    writer.writeRoundBlocking(); // a1's hour is in the files now
    apply(store, "a2", "app2", start, 3600, 3); // a2's arrives after: in the cache, not yet in the files
    assertTrue(writer.writtenUpTo("a1") >= start + 3600, "a1 written");
    assertEquals(Long.MIN_VALUE, writer.writtenUpTo("a2"), "a2 not written yet");

    SeriesQuery query = store.query(3000);
    SeriesQuery.Result r = query.runAlignedBlocking(SeriesSpec.parse("DPP.calls", null, null), start, 600, 6, now);
    for (int i = 0; i < 6; i++) {
      assertFalse(r.known()[i], "row " + i + " holds a1's 120 calls and not yet a2's 180: not known, rather than 120 calls");
    }
    // detection's profile: 34 days of 10-minute rows, none of them short of an agent
    SeriesQuery.Result month = query.runAlignedBlocking(SeriesSpec.parse("DPP.calls", null, null), start - 30 * 86400, 600, 34 * 144, now);
    for (int i = 0; i < month.times().length; i++) {
      assertTrue(!month.known()[i] || month.vectors()[i][Metrics.CALLS] == 300, "row at " + month.times()[i] + ": all or nothing");
    }

    writer.writeRoundBlocking(); // now a2's too
    r = query.runAlignedBlocking(SeriesSpec.parse("DPP.calls", null, null), start, 600, 6, now);
    for (int i = 0; i < 6; i++) {
      assertTrue(r.known()[i], "row " + i + " known once both are written");
      assertEquals(60 * (2 + 3), r.vectors()[i][Metrics.CALLS], 1e-9, "row " + i + ": both agents' calls (2 and 3 a slot)");
    }
  }

  /** {@code perSlot} DPP calls in every 10 s slot of [start, start + seconds) from one agent, in one batch. */
  private static void apply(OneMemberStore store, String agent, String host, long start, long seconds, long perSlot) {
    List<SlotDelta> slots = new ArrayList<>();
    for (long t = start; t < start + seconds; t += 10) {
      long[] c = new long[Metrics.SIZE];
      c[Metrics.CALLS] = perSlot;
      slots.add(new SlotDelta(t, List.of(new SeriesRow("DPP", "get", "V", host, c))));
    }
    store.storeBlocking(agent, host, slots, start + seconds);
  }
}
