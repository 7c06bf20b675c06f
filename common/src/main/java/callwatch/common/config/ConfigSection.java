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
 * One level of a config file with typed getters that name the file and the full key on every
 * error, and that remember which keys were read so that {@link #rejectUnknownKeys()} can refuse
 * typos (like promtail's KnownFields).
 */
public final class ConfigSection {
  private final String file;
  private final String prefix;
  private final JsonObject json;
  private final Set<String> known = new HashSet<>();

  public ConfigSection(String file, String prefix, JsonObject json) {
    this.file = file;
    this.prefix = prefix;
    this.json = json;
  }

  public static ConfigSection of(String origin, Map<String, Object> values) {
    return new ConfigSection(origin, "", new JsonObject(values));
  }

  public String file() {
    return file;
  }

  public ConfigException error(String key, String problem) {
    return new ConfigException(file + ": " + prefix + key + ": " + problem);
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
    throw error(key, "must be a non-empty string, got " + v);
  }

  public String requiredString(String key) {
    String s = string(key, null);
    if (s == null) throw error(key, "is required");
    return s;
  }

  public long number(String key, long defaultValue, long min, long max) {
    if (!has(key)) return defaultValue;
    Object v = json.getValue(key);
    if (!(v instanceof Number n) || n.doubleValue() != n.longValue()) throw error(key, "must be a whole number, got " + v);
    long l = n.longValue();
    if (l < min || l > max) throw error(key, "must be between " + min + " and " + max + ", got " + l);
    return l;
  }

  public boolean bool(String key, boolean defaultValue) {
    if (!has(key)) return defaultValue;
    if (json.getValue(key) instanceof Boolean b) return b;
    throw error(key, "must be true or false, got " + json.getValue(key));
  }

  public Duration millis(String key, Duration defaultValue, long minMs, long maxMs) {
    return Duration.ofMillis(number(key, defaultValue.toMillis(), minMs, maxMs));
  }

  /** A list of strings; a single string is taken as a list of one. */
  public List<String> strings(String key, List<String> defaultValue) {
    if (!has(key)) return defaultValue;
    Object v = json.getValue(key);
    if (v instanceof String s) return List.of(s);
    if (!(v instanceof JsonArray a)) throw error(key, "must be a list of strings, got " + v);
    List<String> out = new ArrayList<>();
    for (Object o : a) {
      if (!(o instanceof String s) || s.isBlank()) throw error(key, "must hold only non-empty strings, got " + o);
      out.add(s);
    }
    return out;
  }

  public ConfigSection section(String key) {
    if (!has(key)) return new ConfigSection(file, prefix + key + ".", new JsonObject());
    if (!(json.getValue(key) instanceof JsonObject o)) throw error(key, "must be a mapping");
    return new ConfigSection(file, prefix + key + ".", o);
  }

  /** A list of mappings, e.g. {@code files: [{glob: ..., format: ...}]}. */
  public List<ConfigSection> sections(String key) {
    if (!has(key)) return List.of();
    if (!(json.getValue(key) instanceof JsonArray a)) throw error(key, "must be a list of mappings");
    List<ConfigSection> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      if (!(a.getValue(i) instanceof JsonObject o)) throw error(key + "[" + i + "]", "must be a mapping");
      out.add(new ConfigSection(file, prefix + key + "[" + i + "].", o));
    }
    return out;
  }

  /** The raw mapping under {@code key} as strings (for maps such as agent id to secret). */
  public Map<String, String> stringMap(String key) {
    ConfigSection s = section(key);
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String k : s.json.fieldNames()) out.put(k, s.string(k, null));
    return out;
  }

  /** This whole section as a mapping of strings (a file that is only such a map, e.g. agent id to secret). */
  public Map<String, String> asStringMap() {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String k : json.fieldNames()) out.put(k, string(k, null));
    return out;
  }

  public void rejectUnknownKeys() {
    for (String k : json.fieldNames()) {
      if (!known.contains(k)) throw error(k, "unknown key (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
    }
  }
}
