package ai.helicone.gemini;

import ai.helicone.gemini.internal.Endpoint;
import ai.helicone.gemini.internal.GenerateResponses;
import ai.helicone.gemini.internal.GoogleErrors;
import ai.helicone.gemini.internal.JsonArraySplitter;
import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.parse.Bytes;
import ai.helicone.internal.parse.SseParser;
import ai.helicone.internal.record.RawBodies;
import ai.helicone.record.CapturedBody;
import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;
import ai.helicone.spi.ProviderAdapter;
import ai.helicone.spi.SdkDiagnostics;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads Google Gemini exchanges: the Gemini API ({@code generativelanguage.googleapis.com}) and
 * Gemini on Vertex AI ({@code {region}-aiplatform.googleapis.com}, {@code
 * aiplatform.googleapis.com}, {@code .../publishers/google/models/{model}:...}), and the same paths
 * on any other host (a proxy or gateway) or on hosts registered with {@link Builder#host}.
 *
 * <p>Methods: {@code :generateContent}, {@code :streamGenerateContent} (as server-sent events with
 * {@code alt=sse}, or as a streamed JSON array without it), {@code :embedContent} and {@code
 * :batchEmbedContents} (operation {@code embeddings}), {@code :countTokens} (operation {@code
 * count_tokens}, recorded without usage, so without cost). Providers: {@code gemini} and {@code
 * vertex_ai}.
 *
 * <p>It reports the model from the URL as the requested model and the response's {@code
 * modelVersion} as the model; usage from {@code usageMetadata} (input includes cached content and
 * tool-use prompts, output includes thinking tokens, which are also reported as reasoning); time to
 * first token at the first chunk with text or another generated part (a function call, say); finish
 * reasons by candidate (the prompt's block reason when it was blocked); Google's error object, also
 * inside a stream; and, for server-sent-event streams, the reassembled response. A stream is
 * complete when every candidate has its finish reason.
 *
 * <p>Registered for {@link java.util.ServiceLoader} with default settings; register an instance
 * built with {@link #builder()} on the Helicone builder to add hosts. Its settings are immutable;
 * it is thread-safe.
 */
public final class GeminiAdapter implements ProviderAdapter {

  private final Map<String, String> hosts;
  // Replaced by the Helicone instance's diagnostics when it is built; standalone use logs here.
  private volatile SdkDiagnostics diagnostics = new Diagnostics();

  /** An adapter with default settings: Google's hosts and Gemini-shaped paths on any host. */
  public GeminiAdapter() {
    this(new Builder());
  }

  private GeminiAdapter(Builder b) {
    this.hosts = Map.copyOf(b.hosts);
  }

  /** A builder for an adapter with custom settings. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "gemini";
  }

  @Override
  public void attach(SdkDiagnostics diagnostics) {
    this.diagnostics = Objects.requireNonNull(diagnostics, "diagnostics");
  }

  @Override
  public boolean supports(CapturedExchange exchange) {
    return Endpoint.resolve(exchange.url(), hosts) != null;
  }

  @Override
  public AdapterResult parse(CapturedExchange exchange) {
    Endpoint endpoint = Endpoint.resolve(exchange.url(), hosts);
    AdapterResult.Builder result = AdapterResult.builder();
    if (endpoint == null) {
      return result.build();
    }
    result
        .provider(endpoint.provider())
        .operation(endpoint.operation())
        .requestModel(endpoint.model())
        .model(endpoint.model())
        .stream(endpoint.stream());
    if (!exchange.hasResponseBody() || exchange.responseBodyLength() == 0) {
      return result.build();
    }
    try {
      read(exchange, endpoint, result);
    } catch (IOException | RuntimeException e) {
      diagnostics.error(
          "gemini.parse:" + endpoint.provider(),
          "could not read a " + endpoint.provider() + " response; recorded without its data",
          e);
    }
    return result.build();
  }

  private static void read(
      CapturedExchange exchange, Endpoint endpoint, AdapterResult.Builder result)
      throws IOException {
    boolean eventStream = exchange.isEventStream() || (endpoint.sse() && startsWithData(exchange));
    // Only the record's fields are read here; the readable message of a stream is rebuilt from
    // the raw bytes when an exporter writes it, so the text is not kept now.
    // Chunks that only carry text and running usage are skipped once the fields they could give
    // are known; a stream cut short after such a chunk is read again in full for its last usage.
    GenerateResponses responses = feed(exchange, eventStream, true);
    if (responses.usageSkipped()) {
      responses = feed(exchange, eventStream, false);
    }
    String error = GoogleErrors.message(responses.error());
    if (error == null && exchange.responseStatus() >= 400 && !responses.sawObject()) {
      String text = exchange.responseBodyText();
      error = text == null || text.isBlank() ? null : abbreviate(text.strip());
    }
    result.error(error);
    if (responses.modelVersion() != null) {
      result.model(responses.modelVersion());
    }
    result.responseId(responses.responseId());
    List<String> reasons = responses.finishReasons();
    if (!reasons.isEmpty()) {
      result.finishReasons(reasons);
    }
    if (!Endpoint.COUNT_TOKENS.equals(endpoint.operation())) {
      // countTokens is free; its counts describe the request it was asked about, not this call.
      result.usage(responses.usage());
    }
    if (endpoint.stream() || eventStream) {
      long first = responses.firstContentOffset();
      result.timeToFirstToken(first < 0 ? null : exchange.timeAtResponseOffset(first));
      result.streamCompleted(responses.completed());
    }
    if (eventStream && responses.sawObject()) {
      result.responseBodyRebuilder(GeminiAdapter::rebuildEvents);
    }
  }

  /** The answer of an {@code alt=sse} stream as one response, rebuilt from its raw bytes. */
  private static CapturedBody rebuildEvents(InputStream raw) {
    GenerateResponses responses = new GenerateResponses(true);
    try {
      feedEvents(raw, responses);
    } catch (IOException e) {
      return null;
    }
    return responses.sawObject() ? RawBodies.writtenJson(responses.toResponseBody()) : null;
  }

  private static GenerateResponses feed(
      CapturedExchange exchange, boolean eventStream, boolean summaryOnly) throws IOException {
    GenerateResponses responses = new GenerateResponses(false, summaryOnly);
    if (eventStream) {
      feedEvents(exchange.responseBodyStream(), responses);
    } else {
      // A plain answer, a streamed JSON array, or an error body in either form.
      feedJson(exchange, responses);
    }
    return responses;
  }

  /** An {@code alt=sse} answer whose content type was lost on the way (a proxy, say). */
  private static boolean startsWithData(CapturedExchange exchange) {
    try (InputStream in = exchange.responseBodyStream()) {
      int c;
      do {
        c = in.read();
      } while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
      return c == 'd' || c == ':';
    } catch (IOException e) {
      return false;
    }
  }

  private static void feedEvents(InputStream body, GenerateResponses responses) throws IOException {
    SseParser parser =
        new SseParser(
            (event, data, length, dataEndOffset) ->
                responses.read(data, 0, length, dataEndOffset, true));
    try (InputStream in = body) {
      parser.feedAll(in);
    }
  }

  private static void feedJson(CapturedExchange exchange, GenerateResponses responses)
      throws IOException {
    JsonArraySplitter splitter = new JsonArraySplitter(responses::read);
    try (InputStream in = exchange.responseBodyStream()) {
      Bytes.transfer(in, splitter::feed);
    }
    splitter.finish();
  }

  private static String abbreviate(String text) {
    return text.length() <= 500 ? text : text.substring(0, 500) + "...";
  }

  /** Settings for a {@link GeminiAdapter}. Not thread-safe; the adapter it builds is immutable. */
  public static final class Builder {
    private final Map<String, String> hosts = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Records calls to a host under the given provider id, for Gemini-shaped paths ({@code
     * .../models/{model}:generateContent}, {@code .../publishers/google/models/{model}:...}).
     * Without registration such paths on unknown hosts are recorded as {@code gemini} or {@code
     * vertex_ai} by their shape; register a host to name its provider otherwise.
     *
     * @param hostAndPort a host name, such as {@code llm-proxy.internal}, or host and port, such as
     *     {@code llm-proxy.internal:8080}; without a port, every port of the host matches
     * @param provider the provider id to record, such as {@code gemini}; lower-cased. Prices are
     *     looked up under this id.
     * @throws IllegalArgumentException when either is empty, or {@code hostAndPort} is a URL
     */
    public Builder host(String hostAndPort, String provider) {
      if (hostAndPort == null || hostAndPort.isBlank()) {
        throw new IllegalArgumentException("hostAndPort must not be empty");
      }
      if (hostAndPort.indexOf('/') >= 0) {
        // A URL here would silently never match.
        throw new IllegalArgumentException(
            "hostAndPort must be a host or host:port, not a URL: " + hostAndPort);
      }
      if (provider == null || provider.isBlank()) {
        throw new IllegalArgumentException("provider must not be empty");
      }
      hosts.put(
          hostAndPort.strip().toLowerCase(Locale.ROOT), provider.strip().toLowerCase(Locale.ROOT));
      return this;
    }

    public GeminiAdapter build() {
      return new GeminiAdapter(this);
    }
  }
}
