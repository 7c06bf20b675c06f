package callwatch.agent.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A merged batch replaces the unsent one before it; a crash between the two leaves nothing to send twice. */
class DiskSpoolMergeTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<String> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aMergedBatchReplacesTheOneBeforeItAndSurvivesACrashBetween() throws IOException {
    DiskSpool spool = new DiskSpool(dir, 1 << 20);
    spool.appendBlocking(5, "{\"seq\":5}", b("batch-5"));
    spool.appendBlocking(6, "{\"seq\":6}", b("batch-6"));
    spool.replaceWithMergedBlocking(6, 7, "{\"seq\":7}", b("batch-6+7"));
    spool.replaceWithMergedBlocking(7, 8, "{\"seq\":8}", b("batch-6+7+8"));
    assertEquals(2, spool.batches());
    assertNull(spool.readBatchBlocking(6));
    assertNull(spool.readBatchBlocking(7));
    assertEquals("batch-6+7+8", spool.readBatchBlocking(8));
    assertEquals("{\"seq\":8}", spool.newestStateBlocking());
    // a crash after writing the merged file, before deleting the one it replaced
    Files.writeString(dir.resolve(String.format("%020d", 6) + ".batch"), "{\"seq\":6}\nbatch-6\n");
    Files.writeString(dir.resolve(String.format("%020d-%020d", 7, 6) + ".batch"), "{\"seq\":7}\nbatch-6+7\n");
    DiskSpool reopened = new DiskSpool(dir, 1 << 20);
    assertEquals(2, reopened.batches(), "what the merged batch covers is gone: " + files());
    assertEquals("batch-5", reopened.readBatchBlocking(5));
    assertEquals("batch-6+7+8", reopened.readBatchBlocking(8));
    assertEquals(List.of(String.format("%020d", 5) + ".batch", String.format("%020d-%020d", 8, 6) + ".batch"), files());
    reopened.removeUpToBlocking(8);
    assertEquals(0, reopened.batches());
    assertFalse(reopened.isFull());
    assertTrue(files().isEmpty());
  }

  @Test
  void onlyABatchNeverSentIsClaimedAndTheShipperSkipsItOnceMerged() {
    SendGate gate = new SendGate(10); // 1..10 were spooled before this process: maybe sent
    assertFalse(gate.claim(10));
    assertEquals(SendGate.Verdict.SEND, gate.beforeSending(11));
    assertFalse(gate.claim(11), "sent: never merged");
    assertTrue(gate.claim(12));
    assertEquals(SendGate.Verdict.WAIT, gate.beforeSending(12), "held while it is merged");
    gate.merged();
    assertEquals(SendGate.Verdict.SKIP, gate.beforeSending(12), "its counts travel in 13");
    assertTrue(gate.claim(13));
    gate.release();
    assertEquals(SendGate.Verdict.SEND, gate.beforeSending(13), "not merged after all: sent as it is");
    gate.talking(true);
    assertFalse(gate.claim(14), "while an aggregator is talking to the agent, nothing is merged: its seqs would jump");
    gate.talking(false);
    assertTrue(gate.claim(14));
  }
}
