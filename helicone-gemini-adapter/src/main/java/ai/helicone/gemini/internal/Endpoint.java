package ai.helicone.gemini.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * What a Gemini API or Vertex AI request URL says: provider, model, operation, and whether the
 * answer is a stream and in which form.
 *
 * @param provider {@link #GEMINI}, {@link #VERTEX_AI} or a registered provider id
 * @param model the model named in the path, such as {@code gemini-2.5-flash}
 * @param operation {@link #GENERATE_CONTENT}, {@link #EMBEDDINGS} or {@link #COUNT_TOKENS}
 * @param stream true for {@code :streamGenerateContent}
 * @param sse true when the stream was asked for as server-sent events ({@code alt=sse})
 */
public record Endpoint(
    String provider, String model, String operation, boolean stream, boolean sse) {
  public static final String GEMINI = "gemini";
  public static final String VERTEX_AI = "vertex_ai";

  public static final String GENERATE_CONTENT = "generate_content";
  public static final String EMBEDDINGS = "embeddings";
  public static final String COUNT_TOKENS = "count_tokens";

  private static final String GEMINI_HOST = "generativelanguage.googleapis.com";
  private static final String VERTEX_HOST = "aiplatform.googleapis.com";
  private static final String VERTEX_MODELS = "/publishers/google/models/";

  /**
   * Resolves a URL, or returns null when it is not a Gemini model method. Google's hosts are
   * recognised by name; any other host (a proxy, a gateway, a registered host) by the shape of the
   * path: {@code /v1beta/models/{model}:method} and the like for the Gemini API, {@code
   * .../publishers/google/models/{model}:method} for Vertex AI.
   *
   * @param registeredHosts user-registered {@code host} or {@code host:port} keys (lower case) to
   *     provider ids
   */
  public static Endpoint resolve(String url, Map<String, String> registeredHosts) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return null;
    }
    String host = uri.getHost();
    String path = uri.getRawPath();
    if (host == null || path == null) {
      return null;
    }
    int colon = path.lastIndexOf(':');
    int slash = path.lastIndexOf('/');
    if (colon < 0 || colon < slash) {
      return null;
    }
    String operation;
    boolean stream = false;
    switch (path.substring(colon + 1)) {
      case "generateContent" -> operation = GENERATE_CONTENT;
      case "streamGenerateContent" -> {
        operation = GENERATE_CONTENT;
        stream = true;
      }
      case "embedContent", "batchEmbedContents" -> operation = EMBEDDINGS;
      case "countTokens" -> operation = COUNT_TOKENS;
      default -> {
        return null;
      }
    }
    String resource = path.substring(0, colon);
    boolean vertexPath = resource.contains(VERTEX_MODELS);
    boolean geminiPath = !vertexPath && isGeminiModelPath(resource);
    if (!vertexPath && !geminiPath) {
      return null;
    }
    String model = decode(resource.substring(slash + 1));
    if (model.isEmpty()) {
      return null;
    }
    host = host.toLowerCase(Locale.ROOT);
    int port =
        uri.getPort() >= 0 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    String provider = registeredHosts.get(host + ':' + port);
    if (provider == null) {
      provider = registeredHosts.get(host);
    }
    if (provider == null) {
      if (host.equals(GEMINI_HOST)) {
        provider = GEMINI;
      } else if (host.equals(VERTEX_HOST) || host.endsWith("-" + VERTEX_HOST)) {
        provider = VERTEX_AI;
      } else {
        provider = vertexPath ? VERTEX_AI : GEMINI;
      }
    }
    boolean sse = stream && "sse".equalsIgnoreCase(queryParameter(uri.getRawQuery(), "alt"));
    return new Endpoint(provider, model, operation, stream, sse);
  }

  /** {@code /v1beta/models/{model}}, {@code /v1/models/{model}}, behind any path prefix. */
  private static boolean isGeminiModelPath(String resource) {
    int models = resource.lastIndexOf("/models/");
    if (models < 0 || resource.indexOf('/', models + "/models/".length()) >= 0) {
      return false;
    }
    int version = resource.lastIndexOf('/', models - 1);
    String segment = resource.substring(version + 1, models);
    return segment.startsWith("v1");
  }

  private static String queryParameter(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        return eq < 0 ? "" : decode(pair.substring(eq + 1));
      }
    }
    return null;
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }
}
