package ai.helicone;

import ai.helicone.internal.capture.Redaction;
import ai.helicone.internal.context.MetadataRules;
import ai.helicone.internal.record.RecordOverrides;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.Usage;
import ai.helicone.spi.CapturedExchange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Describes an LLM call that the application made by other means than an instrumented OkHttp client
 * (another HTTP library, a provider's own SDK, a batch job), to record it as if it had been
 * captured: the same adapters read model, usage, time to first token and errors from the bodies,
 * the same price table gives the cost, the context current on the calling thread (session, path,
 * user, properties, request id, privacy flags) is attached, and the record goes to the same
 * exporters.
 *
 * <pre>{@code
 * helicone.log()
 *     .url("https://api.openai.com/v1/chat/completions")
 *     .requestJson(requestJson)
 *     .responseJson(responseJson)        // or .responseStreamText(rawServerSentEvents)
 *     .startTime(start).endTime(end)
 *     .send();
 * }</pre>
 *
 * <p>Only {@link #url} is required. The provider, model and operation come from the URL and bodies
 * as for a captured call (an OpenAI-format URL with {@code helicone-openai-adapter} on the class
 * path, say); {@link #provider}, {@link #usage} and {@link #timeToFirstToken} override what the
 * adapters find. Setters check their argument at once and throw {@link IllegalArgumentException}
 * (or {@link NullPointerException} for null). Not thread-safe; {@link #send()} never throws for a
 * failure of the SDK itself.
 */
public final class LogBuilder {
  private final Helicone helicone;
  private String url;
  private String method = "POST";
  private String provider;
  private byte[] requestBody;
  private byte[] responseBody;
  private String responseContentType;
  private int status = 200;
  private String error;
  private Instant startTime;
  private Instant endTime;
  private Duration timeToFirstToken;
  private Usage usage;
  private final Map<String, String> requestHeaders = new LinkedHashMap<>();

  LogBuilder(Helicone helicone) {
    this.helicone = helicone;
  }

  /**
   * The URL the call went to, such as {@code https://api.openai.com/v1/chat/completions}; required.
   * Secret query parameters are redacted as for captured calls.
   */
  public LogBuilder url(String url) {
    Objects.requireNonNull(url, "url");
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      throw new IllegalArgumentException("not an http(s) URL: " + Redaction.redactText(url));
    }
    this.url = Redaction.redactUrl(parsed);
    return this;
  }

  /** The HTTP method; POST when not set. */
  public LogBuilder method(String method) {
    this.method = MetadataRules.requireText("method", method);
    return this;
  }

  /**
   * The provider id, lower case ({@code openai}, {@code anthropic}, {@code gemini}, ...), when the
   * URL does not say it; it also selects the prices.
   */
  public LogBuilder provider(String provider) {
    this.provider = MetadataRules.requireText("provider", provider);
    return this;
  }

  /** The request body sent to the provider, as JSON text. */
  public LogBuilder requestJson(String json) {
    this.requestBody = Objects.requireNonNull(json, "json").getBytes(StandardCharsets.UTF_8);
    requestHeaders.put("content-type", "application/json");
    return this;
  }

  /** The provider's response body, as JSON text. Replaces a stream text set before. */
  public LogBuilder responseJson(String json) {
    this.responseBody = Objects.requireNonNull(json, "json").getBytes(StandardCharsets.UTF_8);
    this.responseContentType = "application/json";
    return this;
  }

  /**
   * The whole raw text of a streamed response (server-sent events, {@code data: ...} lines), as
   * received. Replaces a JSON body set before.
   */
  public LogBuilder responseStreamText(String text) {
    this.responseBody = Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8);
    this.responseContentType = "text/event-stream";
    return this;
  }

  /** The HTTP status of the response; 200 when not set, 0 when no response arrived. */
  public LogBuilder status(int status) {
    if (status < 0 || status > 999) {
      throw new IllegalArgumentException("status must be 0 or an HTTP status: " + status);
    }
    this.status = status;
    return this;
  }

  /**
   * Marks the call as failed, with what failed (such as a connection error); recorded redacted like
   * the errors of captured calls. An HTTP error status alone needs no message.
   */
  public LogBuilder error(String message) {
    this.error = Redaction.redactText(MetadataRules.requireText("error", message));
    return this;
  }

  /** When the call started; the end time when not set. */
  public LogBuilder startTime(Instant startTime) {
    this.startTime = Objects.requireNonNull(startTime, "startTime");
    return this;
  }

  /** When the call ended; the time of {@link #send()} when not set. */
  public LogBuilder endTime(Instant endTime) {
    this.endTime = Objects.requireNonNull(endTime, "endTime");
    return this;
  }

  /** From the start of the call to the first generated content; read from nothing else. */
  public LogBuilder timeToFirstToken(Duration timeToFirstToken) {
    Objects.requireNonNull(timeToFirstToken, "timeToFirstToken");
    if (timeToFirstToken.isNegative()) {
      throw new IllegalArgumentException("timeToFirstToken must not be negative");
    }
    this.timeToFirstToken = timeToFirstToken;
    return this;
  }

  /** Token counts, when the response body does not carry them (or to replace them). */
  public LogBuilder usage(Usage usage) {
    this.usage = Objects.requireNonNull(usage, "usage");
    return this;
  }

  /**
   * Queues the record, with the context current on this thread, and returns its request id.
   *
   * @throws IllegalStateException if no URL was set, or the start time is after the end time
   */
  public String send() {
    if (url == null) {
      throw new IllegalStateException("url is required");
    }
    Instant end = endTime != null ? endTime : Instant.now();
    Instant start = startTime != null ? startTime : end;
    if (start.isAfter(end)) {
      throw new IllegalStateException("startTime " + start + " is after endTime " + end);
    }
    CapturedExchange.Builder exchange =
        CapturedExchange.builder()
            .method(method)
            .url(url)
            .requestHeaders(requestHeaders)
            .responseStatus(status)
            .outcome(error != null || status == 0 ? RecordStatus.ERROR : RecordStatus.SUCCESS)
            .transportError(error != null || status != 0 ? error : "no response")
            .startTime(start)
            .endTime(end);
    if (requestBody != null) {
      exchange.requestBody(requestBody, false);
    }
    if (responseBody != null && status != 0) {
      exchange.responseHeaders(Map.of("content-type", responseContentType));
      exchange.responseBody(responseBody, false);
    }
    return helicone.log(exchange.build(), new RecordOverrides(provider, usage, timeToFirstToken));
  }

  @Override
  public String toString() {
    return "LogBuilder{url=" + url + ", status=" + status + '}';
  }
}
