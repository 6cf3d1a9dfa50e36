package ai.helicone.openai;

import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.parse.Json;
import ai.helicone.internal.parse.RequestFields;
import ai.helicone.internal.parse.SseParser;
import ai.helicone.internal.record.Bodies;
import ai.helicone.internal.record.RawBodies;
import ai.helicone.openai.internal.ChatStream;
import ai.helicone.openai.internal.Endpoint;
import ai.helicone.openai.internal.Errors;
import ai.helicone.openai.internal.ResponseSummary;
import ai.helicone.openai.internal.ResponsesStream;
import ai.helicone.openai.internal.StreamUsageRewriter;
import ai.helicone.openai.internal.TokenEstimator;
import ai.helicone.openai.internal.UsageReader;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.Usage;
import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;
import ai.helicone.spi.ProviderAdapter;
import ai.helicone.spi.SdkDiagnostics;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reads OpenAI-format exchanges: Chat Completions (plain and streamed), the Responses API (plain
 * and streamed), Embeddings and legacy Completions, from OpenAI, Azure OpenAI and compatible
 * providers (Groq, DeepSeek, OpenRouter, xAI, Together, Fireworks, Mistral, Ollama, vLLM, hosts
 * registered with {@link Builder#compatibleHost}, and any other host whose path ends with {@code
 * /chat/completions}, {@code /responses}, {@code /embeddings} or {@code /completions}).
 *
 * <p>It reports provider, requested and answering model (for Azure, the deployment name from the
 * URL as the requested model), operation ({@code chat}, {@code responses}, {@code embeddings},
 * {@code text_completion}), usage, time to first token, finish reasons, sampling parameters, the
 * provider's error message (also for errors sent inside a 200 stream) and, for streams, the
 * reconstructed response. When the provider reported no usage (a stream without the usage chunk, a
 * cancelled stream, a server that omits it), tokens are counted locally and flagged {@link
 * Usage#estimated()}.
 *
 * <p>Registered for {@link java.util.ServiceLoader} with default settings; register an instance
 * built with {@link #builder()} on the Helicone builder to change them. Its settings are immutable;
 * it is thread-safe.
 */
public final class OpenAiAdapter implements ProviderAdapter {

  // The sampling parameters of Chat Completions, Responses and legacy Completions requests.
  private static final RequestFields.Layout REQUEST_LAYOUT =
      RequestFields.Layout.builder()
          .decimals("temperature", "top_p", "frequency_penalty", "presence_penalty")
          .integers("seed", "max_tokens")
          .integer("max_completion_tokens", "max_tokens")
          .integer("max_output_tokens", "max_tokens")
          .stop("stop")
          .build();

  private final Map<String, String> compatibleHosts;
  // Resolving an endpoint parses its URL; an application calls a handful of URLs, so each is
  // resolved once. Bounded: cleared when full.
  private final Map<String, Optional<Endpoint>> endpoints = new ConcurrentHashMap<>();
  private static final int MAX_CACHED_ENDPOINTS = 1024;
  private final boolean includeUsageInStreams;
  // Replaced by the Helicone instance's diagnostics when it is built; standalone use logs here.
  private volatile SdkDiagnostics diagnostics = new Diagnostics();

  /** An adapter with default settings: no extra hosts, requests left unchanged. */
  public OpenAiAdapter() {
    this(new Builder());
  }

  private OpenAiAdapter(Builder b) {
    this.compatibleHosts = Map.copyOf(b.compatibleHosts);
    this.includeUsageInStreams = b.includeUsageInStreams;
  }

  /** A builder for an adapter with custom settings. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public boolean supports(CapturedExchange exchange) {
    return endpoint(exchange.url()) != null;
  }

  private Endpoint endpoint(String url) {
    Optional<Endpoint> known = endpoints.get(url);
    if (known == null) {
      known = Optional.ofNullable(Endpoint.resolve(url, compatibleHosts));
      if (endpoints.size() >= MAX_CACHED_ENDPOINTS) {
        endpoints.clear();
      }
      endpoints.put(url, known);
    }
    return known.orElse(null);
  }

  /**
   * When {@link Builder#includeUsageInStreams} is on, adds {@code stream_options.include_usage} to
   * streaming Chat Completions requests that lack it; otherwise, and for every other request,
   * returns null.
   */
  @Override
  public byte[] rewriteRequestBody(String method, String url, String contentType, byte[] body) {
    if (!includeUsageInStreams
        || body == null
        || !"POST".equalsIgnoreCase(method)
        || (contentType != null && !contentType.toLowerCase(Locale.ROOT).contains("json"))) {
      return null;
    }
    try {
      return StreamUsageRewriter.isChatCompletionsUrl(url)
          ? StreamUsageRewriter.rewrite(body)
          : null;
    } catch (RuntimeException e) {
      diagnostics.error("openai.rewrite", "could not add stream_options to a request", e);
      return null;
    }
  }

  @Override
  public void attach(SdkDiagnostics diagnostics) {
    this.diagnostics = Objects.requireNonNull(diagnostics, "diagnostics");
  }

  @Override
  public AdapterResult parse(CapturedExchange exchange) {
    Endpoint endpoint = endpoint(exchange.url());
    AdapterResult.Builder result = AdapterResult.builder();
    if (endpoint == null) {
      return result.build();
    }
    RequestFields request =
        exchange.hasRequestBody()
            ? RequestFields.read(exchange.requestBodyStream(), REQUEST_LAYOUT)
            : null;
    String requestModel =
        endpoint.deployment() != null
            ? endpoint.deployment()
            : request != null ? request.model() : null;
    boolean stream = (request != null && request.stream()) || exchange.isEventStream();
    result
        .provider(endpoint.provider())
        .operation(endpoint.operation())
        .requestModel(requestModel)
        .model(requestModel)
        .stream(stream);
    if (request != null && !request.parameters().isEmpty()) {
      result.requestParameters(request.parameters());
    }
    try {
      new Parse(exchange, endpoint, requestModel, result).run(stream);
    } catch (RuntimeException | IOException e) {
      diagnostics.error(
          "openai.parse:" + endpoint.provider(),
          "could not read an " + endpoint.provider() + " response; recorded without its data",
          e);
    }
    return result.build();
  }

  /** The state of one parse. */
  private static final class Parse {
    private final CapturedExchange exchange;
    private final Endpoint endpoint;
    private final String requestModel;
    private final AdapterResult.Builder result;
    private String provider;
    private String model;

    Parse(
        CapturedExchange exchange,
        Endpoint endpoint,
        String requestModel,
        AdapterResult.Builder result) {
      this.exchange = exchange;
      this.endpoint = endpoint;
      this.requestModel = requestModel;
      this.result = result;
      this.provider = endpoint.provider();
    }

    void run(boolean stream) throws IOException {
      int status = exchange.responseStatus();
      if (!exchange.hasResponseBody() || exchange.responseBodyLength() == 0) {
        return;
      }
      if (status >= 400) {
        readError();
        return;
      }
      if (stream && looksLikeEventStream()) {
        if (Endpoint.RESPONSES.equals(endpoint.operation())) {
          readResponsesStream();
        } else {
          readChatStream();
        }
      } else {
        readBody();
      }
      if (model != null) {
        result.model(model);
      }
      result.provider(provider);
    }

    /** Some servers ignore {@code "stream": true} and answer with one JSON body. */
    private boolean looksLikeEventStream() {
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

    private void readError() {
      ResponseSummary summary = ResponseSummary.read(exchange.responseBodyStream());
      String message = Errors.message(summary.error(), summary.topLevelMessage());
      if (message == null && !summary.isJson()) {
        String text = exchange.responseBodyText();
        message = text == null || text.isBlank() ? null : abbreviate(text.strip());
      }
      result.error(message);
    }

    private void readBody() {
      ResponseSummary summary = ResponseSummary.read(exchange.responseBodyStream());
      if (!summary.isValidJson() && !exchange.responseBodyTruncated()) {
        result.unparsedBody(Bodies.whyNotJson(exchange.responseBodyStream()));
      }
      model = nonEmpty(summary.model());
      result.responseId(summary.id());
      if (summary.vllmFields() && Endpoint.COMPATIBLE.equals(provider)) {
        provider = Endpoint.VLLM;
      }
      if (!summary.finishReasons().isEmpty()) {
        result.finishReasons(summary.finishReasons());
      } else if (summary.status() != null) {
        String reason = Json.textField(summary.incompleteDetails(), "reason");
        result.finishReasons(List.of(reason != null ? reason : summary.status()));
      }
      String error = Errors.message(summary.error(), null);
      if (error == null && "failed".equals(summary.status())) {
        error = "response failed";
      }
      result.error(error);
      Usage usage = summary.usage();
      result.reportedCostUsd(summary.reportedCost());
      if (usage == null && summary.isJson() && error == null && !exchange.responseBodyTruncated()) {
        usage =
            estimate(
                () ->
                    TokenEstimator.countCompletion(
                        countingModel(), endpoint.operation(), readTree()));
      }
      result.usage(usage);
    }

    /** Why a stream with content yielded no event: not server-sent events at all, or garbled. */
    private String noEvents() {
      String why = Bodies.whyNotJson(exchange.responseBodyStream());
      return why.equals("invalid JSON") || why.equals("text instead of JSON")
          ? "no stream events in the body"
          : why.replace("JSON", "a stream");
    }

    private JsonNode readTree() {
      try (InputStream in = exchange.responseBodyStream()) {
        return Json.MAPPER.readTree(in);
      } catch (IOException e) {
        return null;
      }
    }

    private void readChatStream() throws IOException {
      boolean textCompletion = Endpoint.TEXT_COMPLETION.equals(endpoint.operation());
      // One full read: most chunks repeat a pattern and cost little to apply, and the message is
      // then at hand for exporters that write it, without reading the stream again.
      ChatStream chat = new ChatStream(textCompletion, exchange.responseBodyLength());
      feed(chat);
      model = chat.model();
      result.responseId(chat.id());
      List<String> reasons = chat.finishReasons();
      if (!reasons.isEmpty()) {
        result.finishReasons(reasons);
      }
      if (chat.usageWithoutChoices() && Endpoint.COMPATIBLE.equals(provider)) {
        provider = Endpoint.VLLM;
      }
      result.error(Errors.message(chat.error(), null));
      result.streamCompleted(chat.done());
      result.timeToFirstToken(timeAt(chat.firstContentOffset()));
      if (chat.sawChunks()) {
        // Written out when an exporter asks for it, at most once, from what was just read.
        result.responseBodyRebuilder(new ReadMessage(chat));
      } else if (!exchange.responseBodyTruncated()) {
        result.unparsedBody(noEvents());
      }
      Usage usage = UsageReader.read(chat.usage());
      result.reportedCostUsd(UsageReader.reportedCost(chat.usage()));
      if (usage == null && chat.error() == null && chat.sawChunks()) {
        usage = estimate(() -> TokenEstimator.countTexts(countingModel(), chat.outputTexts()));
      }
      result.usage(usage);
    }

    private void readResponsesStream() throws IOException {
      ResponsesStream summary = new ResponsesStream(true);
      feed(summary);
      ResponsesStream events = summary;
      if (summary.usage() == null && summary.errorMessage() == null && summary.sawResponse()) {
        events = new ResponsesStream(false);
        feed(events);
      }
      ResponsesStream read = events;
      model = events.model();
      result.responseId(events.id());
      List<String> reasons = events.finishReasons();
      if (!reasons.isEmpty()) {
        result.finishReasons(reasons);
      }
      result.error(events.errorMessage());
      result.streamCompleted(events.terminal());
      result.timeToFirstToken(timeAt(events.firstContentOffset()));
      if (events.sawResponse()) {
        result.responseBodyRebuilder(OpenAiAdapter::rebuildResponses);
      } else if (!exchange.responseBodyTruncated()) {
        result.unparsedBody(noEvents());
      }
      Usage usage = UsageReader.read(events.usage());
      if (usage == null && events.errorMessage() == null && events.sawResponse()) {
        usage = estimate(() -> TokenEstimator.countTexts(countingModel(), read.outputTexts()));
      }
      result.usage(usage);
    }

    private void feed(SseParser.Listener listener) throws IOException {
      try (InputStream in = exchange.responseBodyStream()) {
        feedAll(in, listener);
      }
    }

    private Duration timeAt(long offset) {
      return offset < 0 ? null : exchange.timeAtResponseOffset(offset);
    }

    private String countingModel() {
      return model != null ? model : requestModel;
    }

    /** Local counts for a response that arrived without usage. */
    private Usage estimate(OutputCounter output) {
      if (endpoint.operation() == null || exchange.requestBodyTruncated()) {
        return null;
      }
      JsonNode request;
      try (InputStream in = exchange.requestBodyStream()) {
        request = Json.MAPPER.readTree(in);
      } catch (IOException e) {
        return null;
      }
      String countingModel = countingModel();
      long input = TokenEstimator.countPrompt(countingModel, endpoint.operation(), request);
      Long outputTokens = Endpoint.EMBEDDINGS.equals(endpoint.operation()) ? null : output.count();
      return Usage.builder().inputTokens(input).outputTokens(outputTokens).estimated(true).build();
    }
  }

  private static void feedAll(InputStream in, SseParser.Listener listener) throws IOException {
    new SseParser(listener).feedAll(in);
  }

  /**
   * The final message of a Chat Completions stream the adapter has read whole: written as JSON on
   * the first request and kept, so the raw stream given is not read again, and the stream's state
   * is let go. Thread-safe: exporters ask from their own threads.
   */
  private static final class ReadMessage implements Function<InputStream, CapturedBody> {
    private ChatStream chat;
    private CapturedBody body;

    ReadMessage(ChatStream chat) {
      this.chat = chat;
    }

    @Override
    public synchronized CapturedBody apply(InputStream raw) {
      if (body == null) {
        body = RawBodies.writtenJson(chat.toResponseBody());
        if (body != null) {
          chat = null;
        }
      }
      return body;
    }
  }

  /** The final response of a Responses stream, rebuilt from its raw bytes. */
  private static CapturedBody rebuildResponses(InputStream raw) {
    ResponsesStream events = new ResponsesStream();
    try {
      feedAll(raw, events);
    } catch (IOException e) {
      return null;
    }
    return events.sawResponse() ? RawBodies.writtenJson(events.toResponseBody()) : null;
  }

  @FunctionalInterface
  private interface OutputCounter {
    long count();
  }

  private static String nonEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String abbreviate(String text) {
    return text.length() <= 500 ? text : text.substring(0, 500) + "...";
  }

  /** Settings for an {@link OpenAiAdapter}. Not thread-safe; the adapter it builds is immutable. */
  public static final class Builder {
    private final Map<String, String> compatibleHosts = new LinkedHashMap<>();
    private boolean includeUsageInStreams;

    private Builder() {}

    /**
     * Treats a host as an OpenAI-compatible provider with the given id, for every path.
     *
     * @param hostAndPort a host name, such as {@code llm.internal}, or host and port, such as
     *     {@code llm.internal:8080}; without a port, every port of the host matches
     * @throws IllegalArgumentException when either is empty, or {@code hostAndPort} is a URL
     * @param provider the provider id to record, such as {@code my-provider}; lower-cased
     */
    public Builder compatibleHost(String hostAndPort, String provider) {
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
      compatibleHosts.put(
          hostAndPort.strip().toLowerCase(Locale.ROOT), provider.strip().toLowerCase(Locale.ROOT));
      return this;
    }

    /**
     * Asks for usage in Chat Completions streams: adds {@code "stream_options": {"include_usage":
     * true}} to streaming requests that do not set {@code include_usage} themselves, so that cost
     * is computed from reported rather than estimated tokens. Off by default, because it changes
     * what the caller receives: one extra chunk at the end of the stream, with an empty {@code
     * choices} array and the usage, which code that reads {@code choices[0]} of every chunk may not
     * expect. The decision is made from the URL and a quick scan of the body on the calling thread;
     * the Responses API reports usage in streams without it.
     */
    public Builder includeUsageInStreams(boolean include) {
      this.includeUsageInStreams = include;
      return this;
    }

    public OpenAiAdapter build() {
      return new OpenAiAdapter(this);
    }
  }
}
