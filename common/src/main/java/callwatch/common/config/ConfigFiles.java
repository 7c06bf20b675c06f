package callwatch.common.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Reads a JSON or YAML config file (by its extension) into a {@link ConfigSection}. Blocking. */
public final class ConfigFiles {
  private ConfigFiles() {}

  @SuppressWarnings("unchecked")
  public static ConfigSection load(Path file) {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(name + ": cannot read the file: " + e.getMessage());
    }
    try {
      JsonObject json;
      if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        Object tree = new ObjectMapper(new YAMLFactory()).readValue(text, Object.class);
        if (tree == null) tree = Map.of();
        if (!(tree instanceof Map)) throw new ConfigException(name + ": the top level must be a mapping");
        json = new JsonObject((Map<String, Object>) tree);
      } else {
        json = new JsonObject(text);
      }
      return new ConfigSection(name, "", json);
    } catch (ConfigException e) {
      throw e;
    } catch (Exception e) {
      throw new ConfigException(name + ": not valid " + (name.endsWith("json") ? "JSON" : "YAML") + ": "
          + e.getMessage().lines().findFirst().orElse(""));
    }
  }
}
