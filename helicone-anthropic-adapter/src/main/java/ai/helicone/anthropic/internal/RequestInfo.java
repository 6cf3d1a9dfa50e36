package ai.helicone.anthropic.internal;

import ai.helicone.internal.parse.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The top-level fields of a Messages request that a record needs: model, stream flag and sampling
 * parameters (keyed as {@link ai.helicone.record.HeliconeRecord#requestParameters()} documents,
 * {@code stop_sequences} as {@code stop}, plus {@code top_k}). Messages, system prompt and tools
 * are skipped by the streaming parser. A truncated or non-JSON body yields what was read before.
 */
public final class RequestInfo {
  private String model;
  private boolean stream;
  private final Map<String, Object> parameters = new LinkedHashMap<>();

  private RequestInfo() {}

  public String model() {
    return model;
  }

  public boolean stream() {
    return stream;
  }

  public Map<String, Object> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  /** Reads a request body; never throws. */
  public static RequestInfo read(InputStream body) {
    RequestInfo info = new RequestInfo();
    try (JsonParser p = Json.FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return info;
      }
      String field;
      while ((field = p.nextFieldName()) != null) {
        p.nextToken();
        info.readField(field, p);
      }
    } catch (IOException | RuntimeException e) {
      // A truncated or malformed body: keep what was read.
    }
    return info;
  }

  private void readField(String field, JsonParser p) throws IOException {
    switch (field) {
      case "model" -> model = Json.text(p);
      case "stream" -> stream = p.currentToken() == JsonToken.VALUE_TRUE;
      case "temperature", "top_p" -> putIfPresent(field, Json.doubleValue(p));
      case "max_tokens", "top_k" -> putIfPresent(field, Json.longValue(p));
      case "stop_sequences" -> readStop(p);
      default -> p.skipChildren();
    }
  }

  private void readStop(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    List<String> stops = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        stops.add(p.getText());
      } else {
        p.skipChildren();
      }
    }
    parameters.put("stop", List.copyOf(stops));
  }

  private void putIfPresent(String key, Object value) {
    if (value != null) {
      parameters.put(key, value);
    }
  }
}
