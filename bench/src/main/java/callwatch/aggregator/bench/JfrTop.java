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
 * another library's top method. Usage: bench/jfr-top.sh RECORDING.jfr [TOP=25] [alloc]. With
 * {@code alloc}: the bytes of the allocation samples instead (JFR's {@code settings=profile}), in MB.
 */
public final class JfrTop {
  private JfrTop() {}

  public static void main(String[] args) throws IOException {
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    boolean allocation = args.length > 2 && args[2].equals("alloc");
    String event = allocation ? "jdk.ObjectAllocationSample" : "jdk.ExecutionSample";
    Map<String, Long> counts = new HashMap<>();
    long total = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!e.getEventType().getName().equals(event) || e.getStackTrace() == null) continue;
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      if (frames.isEmpty()) continue;
      long weight = allocation ? e.getLong("weight") : 1;
      total += weight;
      counts.merge(owner(frames), weight, Long::sum);
    }
    long unit = allocation ? 1_000_000 : 1; // bytes shown in MB
    System.out.printf(allocation ? "%d MB allocated (sampled)%n" : "%d samples%n", total / unit);
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
        .forEach(c -> System.out.printf("%6d  %s%n", c.getValue() / unit, c.getKey()));
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
