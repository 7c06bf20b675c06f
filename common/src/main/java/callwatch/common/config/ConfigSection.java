package callwatch.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One level of a config file with typed getters that name the file, the full key and (for a file)
 * its line on every problem, and that remember which keys were read so that
 * {@link #rejectUnknownKeys()} can refuse typos (like promtail's KnownFields).
 *
 * <p>A bad value is reported, not thrown: the getter answers the default and the problem joins the
 * list the whole file shares, so that {@link #throwIfProblems()} says every mistake at once (five
 * mistakes take one run to see, not five).
 */
public final class ConfigSection {
  /** What all sections of one file share: the problems found so far and the line of each key path. */
  private static final class Shared {
    final List<String> problems = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final Map<String, Integer> lines;

    Shared(Map<String, Integer> lines) {
      this.lines = lines;
    }
  }

  private final String file;
  private final String prefix;
  private final JsonObject json;
  private final Set<String> known = new HashSet<>();
  private final Shared shared;

  public ConfigSection(String file, String prefix, JsonObject json) {
    this(file, prefix, json, new Shared(Map.of()));
  }

  private ConfigSection(String file, String prefix, JsonObject json, Shared shared) {
    this.file = file;
    this.prefix = prefix;
    this.json = json;
    this.shared = shared;
  }

  /** A file's top level, with the line of every key path (e.g. {@code files[0].glob}) for the messages. */
  public static ConfigSection ofFile(String file, JsonObject json, Map<String, Integer> lines) {
    return new ConfigSection(file, "", json, new Shared(lines));
  }

  public static ConfigSection of(String origin, Map<String, Object> values) {
    return new ConfigSection(origin, "", new JsonObject(values));
  }

  public String file() {
    return file;
  }

  private String describe(String key, String problem) {
    Integer line = shared.lines.get(prefix + key);
    if (line == null) line = shared.lines.get(prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix);
    return file + ": " + prefix + key + ": " + problem + (line == null ? "" : " (line " + line + ")");
  }

  /** Notes a problem with {@code key}; {@link #throwIfProblems()} says them all. */
  public void report(String key, String problem) {
    shared.problems.add(describe(key, problem));
  }

  /** Notes something that works now but will not do what is meant until it changes (e.g. a folder not there yet). */
  public void warn(String key, String problem) {
    shared.warnings.add(describe(key, problem));
  }

  /** The warnings of the whole file, one line each. */
  public List<String> warnings() {
    return List.copyOf(shared.warnings);
  }

  public boolean hasProblems() {
    return !shared.problems.isEmpty();
  }

  /** Throws one exception that lists every problem reported in this file (one per line). */
  public void throwIfProblems() {
    if (!shared.problems.isEmpty()) throw new ConfigException(String.join("\n", shared.problems));
  }

  public boolean has(String key) {
    known.add(key);
    return json.containsKey(key) && json.getValue(key) != null;
  }

  public String string(String key, String defaultValue) {
    if (!has(key)) return defaultValue;
    Object v = json.getValue(key);
    if (v instanceof String s && !s.isBlank()) return s;
    if (v instanceof Number n) return n.toString();
    report(key, "must be a non-empty string, got " + v);
    return defaultValue;
  }

  /** A secret (a password, a shared key): as {@link #string}, but a wrong value is never repeated in the problem. */
  public String secret(String key) {
    if (!has(key)) return null;
    Object v = json.getValue(key);
    if (v instanceof String s && !s.isBlank()) return s;
    report(key, "must be a non-empty string (the value given is not repeated: it is a secret)");
    return null;
  }

  /** The mapping under {@code key} of names to secrets (agent id to secret): a wrong value is never repeated. */
  public Map<String, String> secretMap(String key) {
    return section(key).asSecretMap();
  }

  /** This whole section as a mapping of names to secrets (a file that is only that): a wrong value is never repeated. */
  public Map<String, String> asSecretMap() {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String k : json.fieldNames()) out.put(k, secret(k));
    return out;
  }

  /** A required string; null (with the problem reported) when it is missing. */
  public String requiredString(String key) {
    String s = string(key, null);
    if (s == null && !has(key)) report(key, "is required");
    return s;
  }

  public long number(String key, long defaultValue, long min, long max) {
    if (!has(key)) return defaultValue;
    Object v = json.getValue(key);
    if (!(v instanceof Number n) || n.doubleValue() != n.longValue()) {
      report(key, "must be a whole number, got " + v);
      return defaultValue;
    }
    long l = n.longValue();
    if (l < min || l > max) {
      report(key, "must be between " + min + " and " + max + ", got " + l);
      return defaultValue;
    }
    return l;
  }

  public boolean bool(String key, boolean defaultValue) {
    if (!has(key)) return defaultValue;
    if (json.getValue(key) instanceof Boolean b) return b;
    report(key, "must be true or false, got " + json.getValue(key));
    return defaultValue;
  }

  public Duration millis(String key, Duration defaultValue, long minMs, long maxMs) {
    return Duration.ofMillis(number(key, defaultValue.toMillis(), minMs, maxMs));
  }

  /** A list of strings; a single string is taken as a list of one. */
  public List<String> strings(String key, List<String> defaultValue) {
    if (!has(key)) return defaultValue;
    Object v = json.getValue(key);
    if (v instanceof String s) return List.of(s);
    if (!(v instanceof JsonArray a)) {
      report(key, "must be a list of strings, got " + v);
      return defaultValue;
    }
    List<String> out = new ArrayList<>();
    for (Object o : a) {
      if (!(o instanceof String s) || s.isBlank()) {
        report(key, "must hold only non-empty strings, got " + o);
        continue;
      }
      out.add(s);
    }
    return out;
  }

  public ConfigSection section(String key) {
    if (!has(key)) return new ConfigSection(file, prefix + key + ".", new JsonObject(), shared);
    if (!(json.getValue(key) instanceof JsonObject o)) {
      report(key, "must be a mapping");
      return new ConfigSection(file, prefix + key + ".", new JsonObject(), shared);
    }
    return new ConfigSection(file, prefix + key + ".", o, shared);
  }

  /** A list of mappings, e.g. {@code files: [{glob: ..., format: ...}]}. */
  public List<ConfigSection> sections(String key) {
    if (!has(key)) return List.of();
    if (!(json.getValue(key) instanceof JsonArray a)) {
      report(key, "must be a list of mappings");
      return List.of();
    }
    List<ConfigSection> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      if (!(a.getValue(i) instanceof JsonObject o)) {
        report(key + "[" + i + "]", "must be a mapping");
        continue;
      }
      out.add(new ConfigSection(file, prefix + key + "[" + i + "].", o, shared));
    }
    return out;
  }

  /** The keys of this mapping, for mappings keyed by name (e.g. per-service overrides); all count as known. */
  public List<String> keys() {
    List<String> out = new ArrayList<>(json.fieldNames());
    known.addAll(out);
    return out;
  }

  /** Reports every key that was never asked for (a typo), naming the known ones. */
  public void rejectUnknownKeys() {
    for (String k : json.fieldNames()) {
      if (!known.contains(k)) report(k, "unknown key (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
    }
  }

  /**
   * Reports {@code key} when the folder it names cannot be written to, or, if it is not there yet,
   * cannot be made (its nearest existing parent must be a writable folder). Makes nothing: a check
   * run as another user (an installer's root) must not leave folders that user owns.
   */
  public void checkWritableFolder(String key, java.nio.file.Path dir) {
    java.nio.file.Path p = dir.toAbsolutePath();
    if (java.nio.file.Files.isDirectory(p)) {
      if (!java.nio.file.Files.isWritable(p)) report(key, dir + " is not writable by this user");
      return;
    }
    java.nio.file.Path parent = p.getParent();
    while (parent != null && !java.nio.file.Files.exists(parent)) parent = parent.getParent();
    if (parent == null || !java.nio.file.Files.isDirectory(parent)) {
      report(key, "cannot create " + dir + ": " + parent + " is not a folder");
    } else if (!java.nio.file.Files.isWritable(parent)) {
      report(key, "cannot create " + dir + ": " + parent + " is not writable by this user");
    }
  }

  /**
   * Reports {@code key} when the file it names holds a secret and every user of the machine can
   * read it (as ssh refuses such a key). Nothing on a file system without POSIX permissions.
   */
  public void checkPrivateFile(String key, String file) {
    if (file == null) return;
    try {
      var perms = java.nio.file.Files.getPosixFilePermissions(java.nio.file.Path.of(file));
      if (perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
        report(key, file + " can be read by every user of this machine, and it holds a secret: chmod 600 (or 640 with the service's group)");
      }
    } catch (UnsupportedOperationException | java.io.IOException e) {
      // no POSIX permissions here, or no file: what reads it says so
    }
  }

  /** Reports {@code key} when the file it names cannot be read. */
  public void checkReadableFile(String key, String file) {
    if (file == null) return;
    java.nio.file.Path p = java.nio.file.Path.of(file);
    if (!java.nio.file.Files.isRegularFile(p)) report(key, file + " does not exist or is not a file");
    else if (!java.nio.file.Files.isReadable(p)) report(key, file + " is not readable by this user");
  }
}
