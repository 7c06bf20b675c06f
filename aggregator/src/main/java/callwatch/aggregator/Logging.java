package callwatch.aggregator;

import java.io.IOException;
import java.io.InputStream;
import java.util.logging.LogManager;

/** Loads logging.properties from the jar (Hazelcast's start-up chatter at WARNING, ours at INFO). */
public final class Logging {
  private Logging() {}

  public static void configure() {
    if (System.getProperty("java.util.logging.config.file") != null) return; // the operator's own file wins
    try (InputStream in = Logging.class.getResourceAsStream("/logging.properties")) {
      if (in != null) LogManager.getLogManager().readConfiguration(in);
    } catch (IOException e) {
      System.err.println("cannot read the bundled logging.properties: " + e.getMessage());
    }
  }
}
