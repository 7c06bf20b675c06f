package callwatch.aggregator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal on real files: framed records survive any byte in a batch, a torn tail and a damaged record. */
class BatchJournalTest {
  @TempDir Path dir;

  private static String batch(int n) {
    return "{\n \"type\": \"batch\",\t\"n\": " + n + "\n}";
  }

  private Path writeThree() throws Exception {
    try (BatchJournal j = new BatchJournal(dir)) {
      for (int i = 1; i <= 3; i++) j.appendBlocking("a", i, 100L * i, "h", "v", batch(i));
    }
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".journal")).findFirst().orElseThrow();
    }
  }

  @Test
  @DisplayName("batches holding raw newlines and tabs are read back whole")
  void rawNewlinesAndTabs() throws Exception {
    writeThree();
    List<BatchJournal.Entry> read = new BatchJournal(dir).readAllBlocking();
    assertEquals(3, read.size());
    assertEquals(batch(2), read.get(1).batchJson());
    assertEquals(2, read.get(1).seq());
  }

  @Test
  @DisplayName("a record cut short by a crash is cut off the file and counted; the others are read")
  void tornTailIsCutOff() throws Exception {
    Path file = writeThree();
    long size = Files.size(file);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size - 5);
    }
    BatchJournal j = new BatchJournal(dir);
    assertEquals(2, j.readAllBlocking().size());
    assertEquals(1, j.tornTails());
    assertEquals(0, j.damagedRecords());
    assertEquals(2, new BatchJournal(dir).readAllBlocking().size(), "the file was truncated to its whole records");
  }

  @Test
  @DisplayName("a damaged record in the middle is skipped and counted; the records after it are read")
  void damagedRecordIsSkipped() throws Exception {
    Path file = writeThree();
    byte[] bytes = Files.readAllBytes(file);
    int second = BatchJournal.HEADER_BYTES + (bytes.length / 3); // inside the second record's payload
    bytes[second] ^= 0x55;
    Files.write(file, bytes);
    BatchJournal j = new BatchJournal(dir);
    List<BatchJournal.Entry> read = j.readAllBlocking();
    assertEquals(List.of(1L, 3L), read.stream().map(BatchJournal.Entry::seq).toList());
    assertEquals(1, j.damagedRecords());
  }
}
