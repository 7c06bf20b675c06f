package callwatch.agent.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The agent's checkpoint file: the last batch sequence number, the closed-slot watermark and the
 * position in every file. Replaced atomically (a crash leaves the old or the new one, never a mix).
 * Blocking.
 */
public final class CheckpointStore {
  private final Path file;

  public CheckpointStore(Path stateDir) throws IOException {
    Files.createDirectories(stateDir);
    this.file = stateDir.resolve("checkpoint.json");
  }

  public void writeBlocking(String state) throws IOException {
    AtomicFiles.writeBlocking(file, state);
  }

  /** The saved state, or null on the first start. */
  public String readBlocking() throws IOException {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
