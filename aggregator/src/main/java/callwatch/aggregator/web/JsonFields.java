package callwatch.aggregator.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a request body's fields by their type. A field of another type is refused with its name
 * (an {@link IllegalArgumentException}, which the routes answer with a 400), never converted: a
 * number is not a title and "yes" is not a flag. An absent field or a JSON null is absent. Pure.
 */
public final class JsonFields {
  /** Names (services, hosts, kinds) in a list: 1–100 characters each, at most 50. */
  static final int MAX_NAME = 100, MAX_NAMES = 50;

  private JsonFields() {}

  /** Text, or null when absent. */
  public static String text(JsonObject body, String key) {
    Object v = body.getValue(key);
    if (v == null || v instanceof String) return (String) v;
    throw new IllegalArgumentException("'" + key + "' must be text, got " + shown(v));
  }

  /** true or false, or null when absent. */
  public static Boolean flag(JsonObject body, String key) {
    Object v = body.getValue(key);
    if (v == null || v instanceof Boolean) return (Boolean) v;
    throw new IllegalArgumentException("'" + key + "' must be true or false, got " + shown(v));
  }

  /** A whole number, or null when absent. */
  public static Long whole(JsonObject body, String key) {
    Object v = body.getValue(key);
    if (v == null) return null;
    if (v instanceof Integer || v instanceof Long) return ((Number) v).longValue();
    throw new IllegalArgumentException("'" + key + "' must be a whole number, got " + shown(v));
  }

  /** A list of names; empty when absent. */
  public static List<String> names(JsonObject body, String key) {
    Object v = body.getValue(key);
    if (v == null) return List.of();
    if (!(v instanceof JsonArray a)) throw new IllegalArgumentException("'" + key + "' must be a list of names, got " + shown(v));
    List<String> out = new ArrayList<>();
    for (Object o : a) {
      if (!(o instanceof String s) || s.isEmpty() || s.length() > MAX_NAME) {
        String got = o instanceof String t ? "one of " + t.length() + " characters" : shown(o);
        throw new IllegalArgumentException("'" + key + "' must hold names of 1–" + MAX_NAME + " characters, got " + got);
      }
      out.add(s);
    }
    if (out.size() > MAX_NAMES) throw new IllegalArgumentException("'" + key + "' holds " + out.size() + " names; the limit is " + MAX_NAMES);
    return out;
  }

  /** An object whose values are text (e.g. a message by language); empty when absent. */
  public static Map<String, String> texts(JsonObject body, String key) {
    Object v = body.getValue(key);
    if (v == null) return Map.of();
    if (!(v instanceof JsonObject o)) throw new IllegalArgumentException("'" + key + "' must be an object of texts, got " + shown(v));
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : o) {
      if (!(e.getValue() instanceof String s)) {
        throw new IllegalArgumentException("'" + key + "' must hold text: its \"" + e.getKey() + "\" is " + shown(e.getValue()));
      }
      out.put(e.getKey(), s);
    }
    return out;
  }

  /** What was sent instead, by its JSON type: the value itself would echo whatever a client sends. */
  private static String shown(Object v) {
    if (v == null) return "null";
    if (v instanceof String) return "text";
    if (v instanceof Boolean) return "true/false";
    if (v instanceof Number) return "a number";
    if (v instanceof JsonArray) return "a list";
    if (v instanceof JsonObject) return "an object";
    return "another type";
  }
}
