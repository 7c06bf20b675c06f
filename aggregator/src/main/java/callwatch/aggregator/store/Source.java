package callwatch.aggregator.store;

import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One round-robin file: the calls that one agent saw for one (host, service, op). Each file has a
 * single writer (its agent's slots, in order), which is what rrd4j's in-order updates need.
 *
 * <p>File names are bounded whatever the labels: a label whose encoded name would be longer than
 * {@link #MAX_NAME_CHARS} gets a readable prefix and a hash instead, and its labels are kept
 * beside the file ({@link #labelsPath}), written before the file is created.
 */
public record Source(String agent, String host, String service, String op) {
  /** Far below the 255 bytes a file name may have on Linux file systems. */
  static final int MAX_NAME_CHARS = 100;
  private static final int PREFIX_CHARS = 40;

  public Path path(Path root) {
    return root.resolve(enc(agent)).resolve(enc(host)).resolve(enc(service)).resolve(enc(op) + ".rrd");
  }

  /** Whether a name had to be shortened, so the labels live in {@link #labelsPath}. */
  public boolean hashed() {
    return enc(agent).contains("~") || enc(host).contains("~") || enc(service).contains("~") || enc(op).contains("~");
  }

  public Path labelsPath(Path root) {
    Path rrd = path(root);
    String n = rrd.getFileName().toString();
    return rrd.resolveSibling(n.substring(0, n.length() - 4) + ".labels");
  }

  public String labelsJson() {
    return new JsonArray().add(agent).add(host).add(service).add(op).encode();
  }

  /** The source a file under {@code root} stands for (the inverse of {@link #path}), or null if it cannot be told. */
  public static Source of(Path root, Path file) throws IOException {
    Path rel = root.relativize(file);
    if (rel.toString().contains("~")) {
      String n = file.getFileName().toString();
      Path labels = file.resolveSibling(n.substring(0, n.length() - 4) + ".labels");
      if (!Files.exists(labels)) return null;
      JsonArray a = new JsonArray(Files.readString(labels));
      return new Source(a.getString(0), a.getString(1), a.getString(2), a.getString(3));
    }
    String op = rel.getName(3).toString();
    return new Source(dec(rel.getName(0).toString()), dec(rel.getName(1).toString()), dec(rel.getName(2).toString()),
        dec(op.substring(0, op.length() - 4)));
  }

  /** File-name safe, and reversible unless long; dots are encoded too so that no name can be "..". */
  static String enc(String s) {
    String e = URLEncoder.encode(s, StandardCharsets.UTF_8).replace(".", "%2E").replace("*", "%2A");
    if (e.length() <= MAX_NAME_CHARS) return e;
    String prefix = e.substring(0, PREFIX_CHARS);
    int pct = prefix.lastIndexOf('%');
    if (pct >= PREFIX_CHARS - 2) prefix = prefix.substring(0, pct); // never cut an escape in two
    return prefix + "~" + sha256(s).substring(0, 32);
  }

  static String dec(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
