package ai.helicone.anthropic.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * What a request URL says about an Anthropic Messages-format call: the operation, the model when
 * the URL names it (Vertex AI, Bedrock), and whether the answer is a stream by the URL alone.
 *
 * @param operation {@code chat}, {@code count_tokens}, or null for other paths of a known host
 * @param model the model named in the URL (Bedrock ids without region and vendor prefix), or null
 * @param streaming true when the URL itself asks for a stream ({@code :streamRawPredict}, {@code
 *     invoke-with-response-stream})
 * @param awsEventStream true when the stream is AWS's binary event stream rather than SSE
 */
public record Endpoint(String operation, String model, boolean streaming, boolean awsEventStream) {
  public static final String PROVIDER = "anthropic";
  public static final String CHAT = "chat";
  public static final String COUNT_TOKENS = "count_tokens";

  private static final String API_HOST = "api.anthropic.com";
  private static final String VERTEX_HOST_SUFFIX = "aiplatform.googleapis.com";
  private static final String VERTEX_PUBLISHER = "/publishers/anthropic/models/";
  private static final String BEDROCK_MODEL = "/model/";

  /**
   * Resolves a URL, or returns null when it is not an Anthropic Messages-format endpoint.
   *
   * @param hosts user-registered host names, or host names with a port, lower case
   */
  public static Endpoint resolve(String url, Set<String> hosts) {
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
    int port =
        uri.getPort() >= 0 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;

    if (API_HOST.equals(host) || hosts.contains(host) || hosts.contains(host + ':' + port)) {
      return new Endpoint(messagesOperation(path, false), null, false, false);
    }
    if (host.endsWith(VERTEX_HOST_SUFFIX)) {
      return vertex(path);
    }
    if (host.startsWith("bedrock-runtime") && host.endsWith(".amazonaws.com")) {
      return bedrock(path);
    }
    // Any other host (a proxy, a gateway, a local server) serving the Messages API's paths.
    String operation = messagesOperation(path, true);
    return operation == null ? null : new Endpoint(operation, null, false, false);
  }

  /** {@code .../messages} is chat, {@code .../messages/count_tokens} counting; else null. */
  private static String messagesOperation(String path, boolean requireVersion) {
    int end = path.length();
    while (end > 0 && path.charAt(end - 1) == '/') {
      end--;
    }
    String p = path.substring(0, end);
    String messages = requireVersion ? "/v1/messages" : "/messages";
    if (p.endsWith(messages)) {
      return CHAT;
    }
    if (p.endsWith(messages + "/count_tokens")) {
      return COUNT_TOKENS;
    }
    return null;
  }

  /** {@code .../publishers/anthropic/models/{model}:rawPredict} or {@code :streamRawPredict}. */
  private static Endpoint vertex(String path) {
    int at = path.indexOf(VERTEX_PUBLISHER);
    if (at < 0) {
      return null;
    }
    String rest = path.substring(at + VERTEX_PUBLISHER.length());
    int colon = rest.lastIndexOf(':');
    if (colon <= 0 || rest.indexOf('/') >= 0) {
      return null;
    }
    String model = decode(rest.substring(0, colon));
    String method = rest.substring(colon + 1);
    if ("count-tokens".equals(model)) {
      // Vertex's token counting names the model in the body.
      return new Endpoint(COUNT_TOKENS, null, false, false);
    }
    return switch (method) {
      case "rawPredict" -> new Endpoint(CHAT, model, false, false);
      case "streamRawPredict" -> new Endpoint(CHAT, model, true, false);
      default -> new Endpoint(null, model, false, false);
    };
  }

  /** {@code /model/{id}/invoke} or {@code /model/{id}/invoke-with-response-stream}. */
  private static Endpoint bedrock(String path) {
    if (!path.startsWith(BEDROCK_MODEL)) {
      return null;
    }
    String rest = path.substring(BEDROCK_MODEL.length());
    int slash = rest.lastIndexOf('/');
    if (slash <= 0) {
      return null;
    }
    String id = decode(rest.substring(0, slash));
    String lower = id.toLowerCase(Locale.ROOT);
    // Bedrock serves many vendors on one host: only Anthropic's models speak this format.
    if (!lower.contains("anthropic") && !lower.contains("claude")) {
      return null;
    }
    String model = bedrockModel(id);
    return switch (rest.substring(slash + 1)) {
      case "invoke" -> new Endpoint(CHAT, model, false, false);
      case "invoke-with-response-stream" -> new Endpoint(CHAT, model, true, true);
      default -> new Endpoint(null, model, false, false);
    };
  }

  /**
   * {@code us.anthropic.claude-sonnet-4-5-20250929-v1:0} (or an inference-profile ARN ending in it)
   * as {@code claude-sonnet-4-5-20250929-v1:0}, the form the price table knows.
   */
  static String bedrockModel(String id) {
    String m = id;
    if (m.startsWith("arn:")) {
      m = m.substring(m.lastIndexOf('/') + 1);
    }
    int vendor = m.indexOf("anthropic.");
    if (vendor >= 0) {
      m = m.substring(vendor + "anthropic.".length());
    }
    return m;
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }
}
