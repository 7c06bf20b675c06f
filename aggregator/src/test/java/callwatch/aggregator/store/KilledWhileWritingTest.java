package callwatch.aggregator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.common.model.Metrics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rrd4j.ConsolFun;
import org.rrd4j.core.FetchData;

/**
 * A member killed (SIGKILL) while its writer updates a round-robin file: rrd4j updates a file in
 * place, data source by data source, and its last-update time last, so a kill in the middle
 * leaves a file half updated; writing that slot again after the restart must not count any of it
 * twice nor move the file's history.
 */
class KilledWhileWritingTest {
  @TempDir Path dir;

  @Test
  @Timeout(300)
  @DisplayName("a writer killed again and again in the middle of its updates: every slot is in the file once, at its time")
  void everySlotOnceAtItsTime() throws Exception {
    Random random = new Random(7);
    int kills = 0;
    for (int round = 0; round < 30 && SlotWritingProcess.markOf(dir) < lastSlot(); round++) {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
          "-cp", System.getProperty("java.class.path"), SlotWritingProcess.class.getName(), dir.toString())
          .redirectErrorStream(true).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine(); // after what its start says (an update put back)
      while (line != null && !line.startsWith("writing from")) line = out.readLine();
      assertTrue(line != null, "the writing process started");
      Thread.sleep(20 + random.nextInt(200));
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no close
      p.waitFor(30, TimeUnit.SECONDS);
      kills++;
    }
    // the member's restart: the writer goes on from its saved mark, the slot it was writing again
    long upTo = SlotWritingProcess.markOf(dir);
    RrdRepository repo = new RrdRepository(dir.resolve("rrd"), 100, 0, 100);
    repo.writeBlocking(SlotWritingProcess.SOURCE, upTo, SlotWritingProcess.countsOf(upTo));
    upTo += RrdLayout.STEP;
    assertTrue(kills >= 10 && upTo > SlotWritingProcess.FIRST_SLOT + 100 * RrdLayout.STEP, kills + " kills, written up to " + upTo);

    FetchData rows = repo.fetchBlocking(SlotWritingProcess.SOURCE, ConsolFun.TOTAL, SlotWritingProcess.FIRST_SLOT, upTo, RrdLayout.STEP);
    long[] times = rows.getTimestamps();
    double[] calls = rows.getValues()[Metrics.CALLS];
    List<String> wrong = new ArrayList<>();
    for (int r = 0; r < times.length; r++) {
      long slot = times[r] - RrdLayout.STEP;
      if (slot < SlotWritingProcess.FIRST_SLOT || slot >= upTo) continue;
      long expected = SlotWritingProcess.countsOf(slot)[Metrics.CALLS];
      if (Double.isNaN(calls[r]) || Math.round(calls[r]) != expected) wrong.add(slot + ": " + calls[r] + " instead of " + expected);
    }
    assertEquals(List.of(), wrong.size() > 20 ? wrong.subList(0, 20) : wrong,
        wrong.size() + " slots wrong after " + kills + " kills (written up to " + upTo + ")");
  }

  private static long lastSlot() {
    return SlotWritingProcess.FIRST_SLOT + (SlotWritingProcess.SLOTS - 50) * (long) RrdLayout.STEP;
  }
}
