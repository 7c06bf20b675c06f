package callwatch.common.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON or YAML config file (by its extension) into a {@link ConfigSection} that knows the
 * line of every key, so that each problem names its line. Blocking.
 */
public final class ConfigFiles {
  private ConfigFiles() {}

  public static ConfigSection load(Path file) {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(name + ": cannot read the file: " + e.getMessage());
    }
    boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
    JsonFactory factory = yaml ? new YAMLFactory() : new JsonFactory();
    Map<String, Integer> lines = new HashMap<>();
    List<String> repeated = new ArrayList<>();
    try (JsonParser p = factory.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) return ConfigSection.ofFile(name, new JsonObject(), lines);
      if (first != JsonToken.START_OBJECT) throw new ConfigException(name + ": the top level must be a mapping");
      @SuppressWarnings("unchecked")
      Map<String, Object> tree = (Map<String, Object>) read(p, "", lines, repeated);
      if (!repeated.isEmpty()) throw new ConfigException(name + ": " + String.join("\n" + name + ": ", repeated));
      return ConfigSection.ofFile(name, new JsonObject(tree), lines);
    } catch (JsonProcessingException e) {
      throw new ConfigException(name + ": not valid " + (yaml ? "YAML" : "JSON") + problem(e));
    } catch (IOException e) {
      throw new ConfigException(name + ": cannot read the file: " + e.getMessage());
    }
  }

  /**
   * " at line N: what is wrong". The YAML parser's first line says what it was doing and its
   * location is where that began; the problem itself (a tab, an unclosed bracket) and its line are
   * in the SnakeYAML exception underneath.
   */
  private static String problem(JsonProcessingException e) {
    if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null && m.getProblem() != null) {
      return " at line " + (m.getProblemMark().getLine() + 1) + ": " + m.getProblem();
    }
    String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
    return where + ": " + e.getOriginalMessage().lines().findFirst().orElse("");
  }

  /**
   * The value at the parser's current token; records the line of each key under its dotted path,
   * and each key given twice in one mapping (the parsers would keep the last one silently).
   */
  private static Object read(JsonParser p, String path, Map<String, Integer> lines, List<String> repeated) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          String full = path.isEmpty() ? key : path + "." + key;
          int line = p.currentLocation().getLineNr();
          if (m.containsKey(key)) {
            repeated.add(full + ": given twice (lines " + lines.get(full) + " and " + line + "); the second would silently win");
          } else {
            lines.put(full, line);
          }
          p.nextToken();
          m.put(key, read(p, full, lines, repeated));
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          String item = path + "[" + l.size() + "]";
          lines.put(item, p.currentLocation().getLineNr());
          l.add(read(p, item, lines, repeated));
        }
        return l;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return p.getNumberValue();
      }
      case VALUE_TRUE -> {
        return true;
      }
      case VALUE_FALSE -> {
        return false;
      }
      default -> {
        return null;
      }
    }
  }
}
