package ai.helicone.anthropic;

import ai.helicone.anthropic.internal.AwsEventStream;
import ai.helicone.anthropic.internal.Endpoint;
import ai.helicone.anthropic.internal.Errors;
import ai.helicone.anthropic.internal.MessageStream;
import ai.helicone.anthropic.internal.MessageSummary;
import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.parse.RequestFields;
import ai.helicone.internal.parse.SseParser;
import ai.helicone.internal.record.RawBodies;
import ai.helicone.record.CapturedBody;
import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;
import ai.helicone.spi.ProviderAdapter;
import ai.helicone.spi.SdkDiagnostics;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Reads Anthropic Messages API exchanges, plain and streamed, and token counting, from Anthropic
 * ({@code api.anthropic.com}), Anthropic on Vertex AI ({@code
 * *-aiplatform.googleapis.com/.../publishers/anthropic/models/{model}:rawPredict} and {@code
 * :streamRawPredict}), Anthropic on Bedrock ({@code
 * bedrock-runtime.*.amazonaws.com/model/{id}/invoke} and {@code invoke-with-response-stream}, whose
 * binary event stream is decoded), hosts registered with {@link Builder#host}, and any other host
 * whose path ends with {@code /v1/messages} or {@code /v1/messages/count_tokens}.
 *
 * <p>It reports provider {@code anthropic}, the requested model (from the request, or from the URL
 * on Vertex AI and Bedrock) and the answering model (from the response, {@code message_start} for
 * streams), operation ({@code chat}, or {@code count_tokens}, which has no usage and no cost: no
 * tokens are consumed, the count is the response body), usage with prompt-cache reads and writes
 * (the one-hour part of the writes separately), time to first token at the first {@code
 * content_block_delta}, the stop reason, sampling parameters, the provider's error (of an error
 * status, or an {@code error} event inside a 200 stream) and, for streams, the reconstructed
 * message. A stream counts as complete at {@code message_stop} (or an {@code error} event).
 *
 * <p>Registered for {@link java.util.ServiceLoader} with default settings; register an instance
 * built with {@link #builder()} on the Helicone builder to add hosts. Its settings are immutable;
 * it is thread-safe.
 */
public final class AnthropicAdapter implements ProviderAdapter {
  // The sampling parameters of a Messages request; stop_sequences is recorded as stop.
  private static final RequestFields.Layout REQUEST_LAYOUT =
      RequestFields.Layout.builder()
          .decimals("temperature", "top_p")
          .integers("max_tokens", "top_k")
          .stop("stop_sequences")
          .build();

  private static final String AWS_EVENT_STREAM = "application/vnd.amazon.eventstream";

  private final Set<String> hosts;
  // Replaced by the Helicone instance's diagnostics when it is built; standalone use logs here.
  private volatile SdkDiagnostics diagnostics = new Diagnostics();

  /** An adapter with default settings: no extra hosts. */
  public AnthropicAdapter() {
    this(new Builder());
  }

  private AnthropicAdapter(Builder b) {
    this.hosts = Set.copyOf(b.hosts);
  }

  /** A builder for an adapter with custom settings. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return Endpoint.PROVIDER;
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
    RequestFields request =
        exchange.hasRequestBody()
            ? RequestFields.read(exchange.requestBodyStream(), REQUEST_LAYOUT)
            : null;
    String requestModel =
        endpoint.model() != null ? endpoint.model() : request != null ? request.model() : null;
    boolean stream =
        endpoint.streaming()
            || (request != null && request.stream())
            || exchange.isEventStream()
            || isAwsEventStream(exchange);
    result
        .provider(Endpoint.PROVIDER)
        .operation(endpoint.operation())
        .requestModel(requestModel)
        .model(requestModel)
        .stream(stream);
    if (request != null && !request.parameters().isEmpty()) {
      result.requestParameters(request.parameters());
    }
    try {
      read(exchange, endpoint, stream, result);
    } catch (RuntimeException | IOException e) {
      diagnostics.error(
          "anthropic.parse", "could not read an Anthropic response; recorded without its data", e);
    }
    return result.build();
  }

  private static boolean isAwsEventStream(CapturedExchange exchange) {
    String type = exchange.responseHeader("content-type");
    return type != null && type.toLowerCase(Locale.ROOT).startsWith(AWS_EVENT_STREAM);
  }

  private static void read(
      CapturedExchange exchange, Endpoint endpoint, boolean stream, AdapterResult.Builder result)
      throws IOException {
    if (!exchange.hasResponseBody() || exchange.responseBodyLength() == 0) {
      return;
    }
    if (exchange.responseStatus() >= 400) {
      readError(exchange, result);
      return;
    }
    if (isAwsEventStream(exchange)
        || (endpoint.awsEventStream()
            && AwsEventStream.looksBinary(exchange.responseBodyBytes()))) {
      MessageStream events = new MessageStream();
      String exception = AwsEventStream.read(exchange.responseBodyBytes(), events);
      apply(exchange, events, exception, result);
      // Built now: the binary frames are not text, so the record keeps no raw stream to rebuild
      // the message from later (only UTF-8 streams are held raw).
      result.responseBody(toBody(events));
    } else if (stream && looksLikeEventStream(exchange)) {
      // The record needs no content here: the readable message is rebuilt from the raw stream,
      // in full, when an exporter writes it.
      MessageStream events = new MessageStream(true);
      try (InputStream in = exchange.responseBodyStream()) {
        feedSse(in, events);
      }
      apply(exchange, events, null, result);
      if (events.sawEvents()) {
        result.responseBodyRebuilder(AnthropicAdapter::rebuildSse);
      }
    } else {
      readBody(exchange, endpoint, result);
    }
  }

  /** A proxy may ignore {@code "stream": true} and answer with one JSON body. */
  private static boolean looksLikeEventStream(CapturedExchange exchange) {
    if (exchange.isEventStream()) {
      return true;
    }
    try (InputStream in = exchange.responseBodyStream()) {
      int c;
      do {
        c = in.read();
      } while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
      return c != '{' && c != '[';
    } catch (IOException e) {
      return false;
    }
  }

  private static void readError(CapturedExchange exchange, AdapterResult.Builder result) {
    MessageSummary summary = MessageSummary.read(exchange.responseBodyStream());
    String message = Errors.message(summary.error(), summary.topLevelMessage());
    if (message == null && !summary.isJson()) {
      String text = exchange.responseBodyText();
      message = text == null || text.isBlank() ? null : abbreviate(text.strip());
    }
    result.error(message);
  }

  private static void readBody(
      CapturedExchange exchange, Endpoint endpoint, AdapterResult.Builder result) {
    MessageSummary summary = MessageSummary.read(exchange.responseBodyStream());
    if (summary.model() != null && !summary.model().isEmpty()) {
      result.model(summary.model());
    }
    result.responseId(summary.id());
    if (summary.stopReason() != null) {
      result.finishReasons(List.of(summary.stopReason()));
    }
    result.error(Errors.message(summary.error(), null));
    if (!Endpoint.COUNT_TOKENS.equals(endpoint.operation())) {
      result.usage(summary.usage());
    }
  }

  private static void apply(
      CapturedExchange exchange,
      MessageStream events,
      String exception,
      AdapterResult.Builder result) {
    if (events.model() != null && !events.model().isEmpty()) {
      result.model(events.model());
    }
    result.responseId(events.id());
    if (events.stopReason() != null) {
      result.finishReasons(List.of(events.stopReason()));
    }
    result.error(Errors.message(events.error(), exception));
    result.timeToFirstToken(timeAt(exchange, events.firstContentOffset()));
    result.usage(events.usage());
    result.streamCompleted(events.completed() || exception != null);
  }

  private static void feedSse(InputStream in, MessageStream events) throws IOException {
    new SseParser(events).feedAll(in);
  }

  // The readable message is rebuilt from the raw stream when an exporter writes it, so a record
  // holds the captured bytes once. Null (the raw stream only) when it cannot be rebuilt.
  private static CapturedBody rebuildSse(InputStream raw) {
    MessageStream events = new MessageStream();
    try (InputStream in = raw) {
      feedSse(in, events);
    } catch (IOException e) {
      return null;
    }
    return toBody(events);
  }

  private static CapturedBody toBody(MessageStream events) {
    return events.sawEvents() ? RawBodies.writtenJson(events.toResponseBody()) : null;
  }

  private static Duration timeAt(CapturedExchange exchange, long offset) {
    return offset < 0 ? null : exchange.timeAtResponseOffset(offset);
  }

  private static String abbreviate(String text) {
    return text.length() <= 500 ? text : text.substring(0, 500) + "...";
  }

  /**
   * Settings for an {@link AnthropicAdapter}. Not thread-safe; the adapter it builds is immutable.
   */
  public static final class Builder {
    private final Set<String> hosts = new LinkedHashSet<>();

    private Builder() {}

    /**
     * Treats a host as serving the Anthropic Messages API (a proxy or gateway), for every path:
     * {@code .../messages} is recorded as {@code chat}, {@code .../messages/count_tokens} as {@code
     * count_tokens}, any other path with provider {@code anthropic} and no operation.
     *
     * @param hostAndPort a host name, such as {@code llm.internal}, or host and port, such as
     *     {@code llm.internal:8080}; without a port, every port of the host matches
     * @throws IllegalArgumentException when it is empty or a URL
     */
    public Builder host(String hostAndPort) {
      if (hostAndPort == null || hostAndPort.isBlank()) {
        throw new IllegalArgumentException("hostAndPort must not be empty");
      }
      if (hostAndPort.indexOf('/') >= 0) {
        // A URL here would silently never match.
        throw new IllegalArgumentException(
            "hostAndPort must be a host or host:port, not a URL: " + hostAndPort);
      }
      hosts.add(hostAndPort.strip().toLowerCase(Locale.ROOT));
      return this;
    }

    public AnthropicAdapter build() {
      return new AnthropicAdapter(this);
    }
  }
}
