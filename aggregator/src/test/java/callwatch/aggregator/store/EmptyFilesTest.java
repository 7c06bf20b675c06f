package callwatch.aggregator.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rrd4j.core.RrdDb;

/** A file written from {@link EmptyFiles} is, byte for byte, the file rrd4j creates on disk. */
class EmptyFilesTest {
  @TempDir Path dir;

  @Test
  @DisplayName("every start, on the hour or not, and a start seen before, gives the bytes rrd4j writes for it")
  void sameBytesAsRrd4jOnDisk() throws Exception {
    EmptyFiles empty = new EmptyFiles();
    // on the hour; within an hour (the coarse archives' rows begin part-way); the same again; back to the first
    long[] starts = {1_700_002_800L, 1_700_003_590L, 1_700_003_590L, 1_700_000_010L, 1_700_002_800L, 1_700_036_000L + 590};
    for (long start : starts) {
      Path made = dir.resolve("rrd4j-" + start + ".rrd");
      if (!Files.exists(made)) RrdDb.getBuilder().setRrdDef(RrdLayout.definition(made.toString(), start)).build().close();
      assertArrayEquals(Files.readAllBytes(made), empty.startingAt(start), "start " + start);
    }
  }
}
