package callwatch.aggregator.store;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One round-robin file: the calls that one agent saw for one (host, service, op). Each file has a
 * single writer (its agent's slots, in order), which is what rrd4j's in-order updates need.
 */
public record Source(String agent, String host, String service, String op) {

  public Path path(Path root) {
    return root.resolve(enc(agent)).resolve(enc(host)).resolve(enc(service)).resolve(enc(op) + ".rrd");
  }

  /** The source a file under {@code root} stands for (the inverse of {@link #path}). */
  public static Source of(Path root, Path file) {
    Path rel = root.relativize(file);
    String op = rel.getName(3).toString();
    return new Source(dec(rel.getName(0).toString()), dec(rel.getName(1).toString()), dec(rel.getName(2).toString()),
        dec(op.substring(0, op.length() - 4)));
  }

  /** File-name safe and reversible; dots are encoded too so that no name can be "..". */
  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace(".", "%2E").replace("*", "%2A");
  }

  static String dec(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
