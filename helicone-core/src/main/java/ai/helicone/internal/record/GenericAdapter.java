package ai.helicone.internal.record;

import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;
import ai.helicone.spi.ProviderAdapter;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Locale;

/**
 * The last resort for exchanges no provider adapter supports: the provider from the host name
 * ({@code api.openai.com} is {@code openai}, a loopback host is {@code local}) and the model from a
 * top-level JSON {@code model} field of the response or else the request. Thread-safe.
 */
public final class GenericAdapter implements ProviderAdapter {
  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public String name() {
    return "generic";
  }

  @Override
  public boolean supports(CapturedExchange exchange) {
    return true;
  }

  @Override
  public AdapterResult parse(CapturedExchange exchange) {
    String requestModel = null;
    boolean streamRequested = false;
    if (exchange.hasRequestBody() && !exchange.requestBodyTruncated()) {
      TopLevel request = topLevel(exchange.requestBodyStream());
      requestModel = request.model;
      streamRequested = request.stream;
    }
    String responseModel = null;
    String unparsed = null;
    boolean eventStream = exchange.isEventStream();
    if (!eventStream && exchange.hasResponseBody() && !exchange.responseBodyTruncated()) {
      TopLevel response = topLevel(exchange.responseBodyStream());
      responseModel = response.model;
      if (response.notJson && exchange.responseStatus() < 400) {
        unparsed = Bodies.whyNotJson(exchange.responseBodyStream());
      }
    }
    return AdapterResult.builder()
        .provider(providerFromUrl(exchange.url()))
        .requestModel(requestModel)
        .model(responseModel != null ? responseModel : requestModel)
        .stream(eventStream || streamRequested)
        // Without knowledge of the format, the first streamed byte is the best guess.
        .timeToFirstToken(eventStream ? exchange.timeAtResponseOffset(0) : null)
        .unparsedBody(unparsed)
        .build();
  }

  /** The provider named by a URL's host; null when the URL has no host. */
  static String providerFromUrl(String url) {
    String host;
    try {
      host = URI.create(url).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (host == null || host.isEmpty()) {
      return null;
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.equals("localhost")
        || host.endsWith(".localhost")
        || host.startsWith("127.")
        || host.equals("::1")
        || host.equals("0:0:0:0:0:0:0:1")) {
      return "local";
    }
    if (host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
      return host; // an IP address names no provider; keep it recognisable
    }
    for (String prefix : new String[] {"api.", "www."}) {
      if (host.startsWith(prefix) && host.indexOf('.', prefix.length()) > 0) {
        host = host.substring(prefix.length());
      }
    }
    int dot = host.indexOf('.');
    return dot > 0 ? host.substring(0, dot) : host;
  }

  private static final class TopLevel {
    String model;
    boolean stream;
    boolean notJson;
  }

  /** Reads the top-level {@code model} and {@code stream} fields without building a tree. */
  private static TopLevel topLevel(InputStream body) {
    TopLevel out = new TopLevel();
    try (JsonParser p = JSON.createParser(body)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return out; // empty
      }
      if (first != JsonToken.START_OBJECT) {
        p.skipChildren();
        return out;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("model".equals(field) && value == JsonToken.VALUE_STRING) {
          out.model = p.getText();
        } else if ("stream".equals(field)) {
          out.stream = value == JsonToken.VALUE_TRUE;
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      // Not JSON: nothing to learn, but the caller may report it.
      out.notJson = true;
    }
    return out;
  }
}
