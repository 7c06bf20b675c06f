package callwatch.aggregator.store;

import java.io.IOException;
import java.nio.file.Path;

/** A round-robin file that is not a whole file of the layout (e.g. half-created by a killed process). */
public final class BrokenFileException extends IOException {
  private final transient Path path;

  BrokenFileException(Path path, String problem) {
    super(path + " is broken: " + problem);
    this.path = path;
  }

  public Path path() {
    return path;
  }
}
