package callwatch.aggregator.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples fall: each sample goes to the innermost callwatch method on
 * its stack (what of ours was running, or calling the library that was), else to Hazelcast's or
 * another library's top method. Usage: bench/jfr-top.sh RECORDING.jfr [TOP=25]
 */
public final class JfrTop {
  private JfrTop() {}

  public static void main(String[] args) throws IOException {
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    Map<String, Integer> counts = new HashMap<>();
    int total = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) continue;
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      if (frames.isEmpty()) continue;
      total++;
      counts.merge(owner(frames), 1, Integer::sum);
    }
    System.out.printf("%d samples%n", total);
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
        .forEach(c -> System.out.printf("%6d  %s%n", c.getValue(), c.getKey()));
  }

  private static String owner(List<RecordedFrame> frames) {
    boolean hazelcast = false;
    for (RecordedFrame f : frames) {
      String type = f.getMethod().getType().getName();
      if (type.startsWith("callwatch.")) return name(f);
      hazelcast |= type.startsWith("com.hazelcast.");
    }
    return (hazelcast ? "Hazelcast: " : "other: ") + name(frames.get(0));
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }
}
