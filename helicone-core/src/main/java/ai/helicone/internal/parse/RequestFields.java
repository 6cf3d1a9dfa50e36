package ai.helicone.internal.parse;

import ai.helicone.internal.record.FrozenMap;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The top-level fields of a JSON request body that a record needs: {@code model}, the {@code
 * stream} flag and the sampling parameters, keyed as {@link
 * ai.helicone.record.HeliconeRecord#requestParameters()} documents. Read with the streaming parser,
 * so messages and other large values are skipped; a truncated or non-JSON body yields what was read
 * before the problem. Each provider's adapter says, with a {@link Layout}, which of its fields are
 * parameters. Immutable once read.
 */
public final class RequestFields {
  private String model;
  private boolean stream;
  // Filled while the body is read, then frozen: the record shares it.
  private Map<String, Object> parameters = Map.of();

  private RequestFields() {}

  public String model() {
    return model;
  }

  public boolean stream() {
    return stream;
  }

  /** The sampling parameters found, in the order of the body; unmodifiable. */
  public Map<String, Object> parameters() {
    return parameters;
  }

  /** Reads a request body; never throws. */
  public static RequestFields read(InputStream body, Layout layout) {
    RequestFields fields = new RequestFields();
    try (JsonParser p = Json.parser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return fields;
      }
      String field;
      while ((field = p.nextFieldName()) != null) {
        p.nextToken();
        fields.readField(field, p, layout);
      }
      Json.noteWholeValue(p, body);
    } catch (IOException | RuntimeException e) {
      // A truncated or malformed body: keep what was read.
    }
    fields.parameters = FrozenMap.adopt(fields.parameters);
    return fields;
  }

  private void readField(String field, JsonParser p, Layout layout) throws IOException {
    if ("model".equals(field)) {
      model = Json.text(p);
      return;
    }
    if ("stream".equals(field)) {
      stream = p.currentToken() == JsonToken.VALUE_TRUE;
      return;
    }
    Layout.Parameter parameter = layout.parameters.get(field);
    if (parameter == null) {
      p.skipChildren();
      return;
    }
    Object value =
        switch (parameter.type) {
          case DECIMAL -> Json.doubleValue(p);
          case INTEGER -> Json.longValue(p);
          case STOP -> stops(p);
        };
    if (value != null) {
      // Several fields may share a key (max_tokens, max_completion_tokens): the first one wins.
      if (parameters.isEmpty()) {
        parameters = new LinkedHashMap<>(8);
      }
      parameters.putIfAbsent(parameter.key, value);
    }
  }

  /** A string or an array of strings, as a list; null for anything else. */
  private static List<String> stops(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      return List.of(p.getText());
    }
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return null;
    }
    List<String> stops = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        stops.add(p.getText());
      } else {
        p.skipChildren();
      }
    }
    return List.copyOf(stops);
  }

  /** Which top-level fields of a provider's requests are sampling parameters. Immutable. */
  public static final class Layout {
    private enum Type {
      DECIMAL,
      INTEGER,
      STOP
    }

    private record Parameter(String key, Type type) {}

    private final Map<String, Parameter> parameters;

    private Layout(Map<String, Parameter> parameters) {
      this.parameters = Map.copyOf(parameters);
    }

    public static Builder builder() {
      return new Builder();
    }

    /** Not thread-safe; the layout it builds is immutable. */
    public static final class Builder {
      private final Map<String, Parameter> parameters = new HashMap<>();

      private Builder() {}

      /** Fields read as decimal numbers, each under its own name. */
      public Builder decimals(String... fields) {
        for (String field : fields) {
          parameters.put(field, new Parameter(field, Type.DECIMAL));
        }
        return this;
      }

      /** Fields read as whole numbers, each under its own name. */
      public Builder integers(String... fields) {
        for (String field : fields) {
          parameters.put(field, new Parameter(field, Type.INTEGER));
        }
        return this;
      }

      /** A field read as a whole number under another key. */
      public Builder integer(String field, String key) {
        parameters.put(field, new Parameter(key, Type.INTEGER));
        return this;
      }

      /** A field of stop sequences (a string or an array), read under the key {@code stop}. */
      public Builder stop(String field) {
        parameters.put(field, new Parameter("stop", Type.STOP));
        return this;
      }

      public Layout build() {
        return new Layout(parameters);
      }
    }
  }
}
