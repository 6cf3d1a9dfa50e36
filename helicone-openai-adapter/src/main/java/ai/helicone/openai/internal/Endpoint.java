package ai.helicone.openai.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * What a request URL says: the provider (from host and port), the operation (from the path) and,
 * for Azure, the deployment name.
 *
 * @param provider lower-case provider id
 * @param operation {@code chat}, {@code responses}, {@code embeddings}, {@code text_completion} or
 *     null for other paths of a known provider
 * @param deployment the Azure deployment named in the path, or null
 */
public record Endpoint(String provider, String operation, String deployment) {
  public static final String CHAT = "chat";
  public static final String RESPONSES = "responses";
  public static final String EMBEDDINGS = "embeddings";
  public static final String TEXT_COMPLETION = "text_completion";

  public static final String OPENAI = "openai";
  public static final String AZURE = "azure";
  public static final String OPENROUTER = "openrouter";
  public static final String VLLM = "vllm";
  public static final String COMPATIBLE = "openai-compatible";

  private static final Map<String, String> HOSTS =
      Map.of(
          "api.openai.com", OPENAI,
          "api.groq.com", "groq",
          "api.deepseek.com", "deepseek",
          "openrouter.ai", OPENROUTER,
          "api.x.ai", "xai",
          "api.together.xyz", "together",
          "api.together.ai", "together",
          "api.fireworks.ai", "fireworks",
          "api.mistral.ai", "mistral");

  private static final String[] AZURE_SUFFIXES = {
    ".openai.azure.com", ".services.ai.azure.com", ".cognitiveservices.azure.com"
  };
  private static final int OLLAMA_PORT = 11434;
  private static final String DEPLOYMENTS = "/openai/deployments/";

  /**
   * Resolves a URL, or returns null when it is not an OpenAI-format endpoint.
   *
   * @param compatibleHosts user-registered {@code host} or {@code host:port} keys (lower case) to
   *     provider ids
   */
  public static Endpoint resolve(String url, Map<String, String> compatibleHosts) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return null;
    }
    String host = uri.getHost();
    if (host == null) {
      return null;
    }
    host = host.toLowerCase(Locale.ROOT);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String operation = operation(path);
    int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(uri.getScheme());

    String provider = compatibleHosts.get(host + ':' + port);
    if (provider == null) {
      provider = compatibleHosts.get(host);
    }
    if (provider == null) {
      provider = HOSTS.get(host);
    }
    if (provider == null && isAzure(host) && (operation != null || path.startsWith("/openai/"))) {
      return new Endpoint(AZURE, operation, deployment(path));
    }
    if (provider == null && port == OLLAMA_PORT) {
      provider = "ollama";
    }
    if (provider == null && operation != null) {
      provider = COMPATIBLE;
    }
    return provider == null ? null : new Endpoint(provider, operation, null);
  }

  /** The operation a path ends with, or null. */
  public static String operation(String path) {
    int end = path.length();
    while (end > 0 && path.charAt(end - 1) == '/') {
      end--;
    }
    // "/chat/completions" before "/completions", which it ends with.
    if (endsWith(path, end, "/chat/completions")) {
      return CHAT;
    }
    if (endsWith(path, end, "/completions")) {
      return TEXT_COMPLETION;
    }
    if (endsWith(path, end, "/responses")) {
      return RESPONSES;
    }
    if (endsWith(path, end, "/embeddings")) {
      return EMBEDDINGS;
    }
    return null;
  }

  private static boolean endsWith(String path, int end, String suffix) {
    return end >= suffix.length() && path.startsWith(suffix, end - suffix.length());
  }

  private static boolean isAzure(String host) {
    for (String suffix : AZURE_SUFFIXES) {
      if (host.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  private static String deployment(String path) {
    if (!path.startsWith(DEPLOYMENTS)) {
      return null;
    }
    int start = DEPLOYMENTS.length();
    int end = path.indexOf('/', start);
    String raw = end < 0 ? path.substring(start) : path.substring(start, end);
    return raw.isEmpty() ? null : URLDecoder.decode(raw, StandardCharsets.UTF_8);
  }

  private static int defaultPort(String scheme) {
    return "http".equalsIgnoreCase(scheme) ? 80 : 443;
  }
}
