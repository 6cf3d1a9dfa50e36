package ai.helicone.internal.record;

import ai.helicone.cost.PriceRegistry;
import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.Failures;
import ai.helicone.internal.capture.CaptureSink;
import ai.helicone.internal.export.ExportPipeline;
import ai.helicone.internal.export.RecordSize;
import ai.helicone.internal.instrument.CallMetadata;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.CapturedRequest;
import ai.helicone.record.CapturedResponse;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.RecordType;
import ai.helicone.record.Usage;
import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;
import ai.helicone.spi.ProviderAdapter;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Turns finished exchanges into LLM records. {@link #completed} only queues the exchange, on the
 * thread that finished the call; adapter parsing, cost and body conversion happen later on an
 * export worker ({@link #build}). Thread-safe.
 */
public final class LlmRecords implements CaptureSink {
  private static final GenericAdapter GENERIC = new GenericAdapter();

  private final ExportPipeline pipeline;
  private final List<ProviderAdapter> adapters;
  private final PriceRegistry prices;
  private final boolean omitRequestBodies;
  private final boolean omitResponseBodies;
  private final Diagnostics diagnostics;

  /**
   * @param adapters provider adapters in order of precedence; the generic fallback comes after them
   */
  public LlmRecords(
      ExportPipeline pipeline,
      List<ProviderAdapter> adapters,
      PriceRegistry prices,
      boolean omitRequestBodies,
      boolean omitResponseBodies,
      Diagnostics diagnostics) {
    this.pipeline = pipeline;
    this.adapters = List.copyOf(adapters);
    this.prices = prices;
    this.omitRequestBodies = omitRequestBodies;
    this.omitResponseBodies = omitResponseBodies;
    this.diagnostics = diagnostics;
  }

  @Override
  public void completed(Object metadata, CapturedExchange exchange) {
    if (!(metadata instanceof CallMetadata call)) {
      return;
    }
    submit(call, exchange, RecordOverrides.NONE);
  }

  @Override
  public boolean refusing() {
    return pipeline.refusing();
  }

  @Override
  public void notCaptured(Object metadata) {
    pipeline.refuseUncaptured();
  }

  /**
   * Queues the record of an exchange, with values the application stated itself winning over the
   * adapters' (for calls logged by hand).
   */
  public void submit(CallMetadata call, CapturedExchange exchange, RecordOverrides overrides) {
    try {
      pipeline.submit(() -> build(call, exchange, overrides), RecordSize.of(exchange));
    } catch (RuntimeException e) {
      diagnostics.error("submit", "could not queue a captured call", e);
    }
  }

  /** The record of one exchange; never throws (a failure yields a record without parsed fields). */
  public HeliconeRecord build(CallMetadata call, CapturedExchange exchange) {
    return build(call, exchange, RecordOverrides.NONE);
  }

  private HeliconeRecord build(
      CallMetadata call, CapturedExchange exchange, RecordOverrides overrides) {
    try {
      return fullRecord(call, exchange, overrides);
    } catch (Throwable e) {
      diagnostics.error("llm-record", "could not build the full record of a call", e);
      Failures.rethrowIfFatal(e);
      return base(call, exchange)
          .status(exchange.outcome())
          .error(exchange.transportError())
          .request(request(call, exchange, false))
          .build();
    }
  }

  private HeliconeRecord fullRecord(
      CallMetadata call, CapturedExchange exchange, RecordOverrides overrides) {
    AdapterResult specific = parseWithAdapter(exchange);
    // The generic reading parses the bodies again: only when the adapter left a gap it fills.
    AdapterResult generic = needsGeneric(specific) ? GENERIC.parse(exchange) : firstByte(exchange);

    String provider =
        pick(
            overrides.provider(),
            pick(specific == null ? null : specific.provider(), generic.provider()));
    String requestModel =
        pick(specific == null ? null : specific.requestModel(), generic.requestModel());
    String model = pick(specific == null ? null : specific.model(), generic.model());
    if (model == null) {
      model = requestModel;
    }
    Boolean streamFlag = pick(specific == null ? null : specific.stream(), generic.stream());
    boolean stream = Boolean.TRUE.equals(streamFlag);
    Usage usage = pick(overrides.usage(), specific == null ? null : specific.usage());
    String adapterError = specific == null ? null : specific.error();

    HeliconeRecord.Builder b =
        base(call, exchange)
            .provider(provider)
            .model(model)
            .requestModel(requestModel)
            .operation(specific == null ? null : specific.operation())
            .stream(stream)
            .usage(usage)
            .costUsd(cost(specific, provider, model, requestModel, usage))
            .timeToFirstToken(
                pick(
                    overrides.timeToFirstToken(),
                    pick(
                        specific == null ? null : specific.timeToFirstToken(),
                        generic.timeToFirstToken())))
            .request(request(call, exchange, true))
            .response(response(call, exchange, stream, specific));
    if (specific != null) {
      b.responseId(specific.responseId()).finishReasons(specific.finishReasons());
      Map<String, Object> parameters = specific.requestParameters();
      if (parameters != null) {
        b.requestParameters(parameters);
      }
    }
    String unparsed = specific != null ? specific.unparsedBody() : generic.unparsedBody();
    if (unparsed != null) {
      diagnostics.unparsedBody(provider != null ? provider : "unknown", unparsed);
      b.parseError(unparsed);
    }
    setStatus(
        b,
        exchange,
        adapterError,
        specific != null && Boolean.TRUE.equals(specific.streamCompleted()));
    return b.build();
  }

  private static boolean needsGeneric(AdapterResult specific) {
    return specific == null
        || specific.provider() == null
        || specific.requestModel() == null
        || specific.model() == null
        || specific.stream() == null;
  }

  /** What the generic reading would add without parsing: time to the first streamed byte. */
  private static AdapterResult firstByte(CapturedExchange exchange) {
    return AdapterResult.builder()
        .timeToFirstToken(exchange.isEventStream() ? exchange.timeAtResponseOffset(0) : null)
        .build();
  }

  /** The result of the first adapter that supports the exchange, or null when none does. */
  private AdapterResult parseWithAdapter(CapturedExchange exchange) {
    for (ProviderAdapter adapter : adapters) {
      String name = adapterName(adapter);
      boolean supported;
      try {
        supported = adapter.supports(exchange);
      } catch (Throwable e) {
        diagnostics.error(
            "adapter-supports:" + name, "provider adapter " + name + " failed in supports()", e);
        Failures.rethrowIfFatal(e);
        continue;
      }
      if (!supported) {
        continue;
      }
      try {
        AdapterResult result = adapter.parse(exchange);
        if (result == null) {
          diagnostics.error(
              "adapter-parse:" + name, "provider adapter " + name + " returned no result", null);
        }
        return result;
      } catch (Throwable e) {
        // Errors too (a StackOverflowError on a deeply nested body): the record is kept.
        diagnostics.error(
            "adapter-parse:" + name,
            "provider adapter " + name + " failed to parse a call; recorded without its data",
            e);
        Failures.rethrowIfFatal(e);
        return null;
      }
    }
    return null;
  }

  private static String adapterName(ProviderAdapter adapter) {
    try {
      return adapter.name();
    } catch (RuntimeException e) {
      return adapter.getClass().getName();
    }
  }

  private BigDecimal cost(
      AdapterResult specific, String provider, String model, String requestModel, Usage usage) {
    if (specific != null && specific.reportedCostUsd() != null) {
      return specific.reportedCostUsd();
    }
    if (usage == null || provider == null) {
      return null;
    }
    BigDecimal cost = model == null ? null : prices.cost(provider, model, usage);
    if (cost == null && requestModel != null && !requestModel.equals(model)) {
      cost = prices.cost(provider, requestModel, usage);
    }
    if (cost == null) {
      diagnostics.unpricedCall(provider, model != null ? model : requestModel);
    }
    return cost;
  }

  private static void setStatus(
      HeliconeRecord.Builder b,
      CapturedExchange exchange,
      String adapterError,
      boolean streamCompleted) {
    // A body closed by the caller (no transport error) after the protocol's terminal event is a
    // finished call: SDKs stop reading there and close before the end of the HTTP body.
    // Likewise, an error response that the client closes unread (SDKs do so before a retry) ended
    // with its status, which says all there is to say.
    boolean closedAfterEnd =
        exchange.outcome() == RecordStatus.CANCELLED
            && exchange.transportError() == null
            && (streamCompleted || exchange.responseStatus() >= 400);
    if (exchange.outcome() == RecordStatus.CANCELLED && !closedAfterEnd) {
      String reason = exchange.transportError();
      b.status(RecordStatus.CANCELLED).error(reason != null ? reason : adapterError);
    } else if (exchange.outcome() == RecordStatus.ERROR) {
      String error = exchange.transportError();
      b.status(RecordStatus.ERROR)
          .error(error != null ? error : adapterError != null ? adapterError : "transport error");
    } else if (adapterError != null) {
      b.status(RecordStatus.ERROR).error(adapterError);
    } else if (exchange.responseStatus() >= 400) {
      b.status(RecordStatus.ERROR).error("HTTP " + exchange.responseStatus());
    } else {
      b.status(RecordStatus.SUCCESS);
    }
  }

  private static HeliconeRecord.Builder base(CallMetadata call, CapturedExchange exchange) {
    return HeliconeRecord.builder()
        .type(RecordType.LLM)
        .id(call.requestId())
        .sessionId(call.sessionId())
        .sessionPath(call.sessionPath())
        .sessionName(call.sessionName())
        .userId(call.userId())
        .properties(call.properties())
        .contextAttributes(call.contextAttributes())
        .startTime(exchange.startTime())
        .endTime(exchange.endTime())
        .duration(exchange.duration());
  }

  private CapturedRequest request(CallMetadata call, CapturedExchange exchange, boolean withBody) {
    boolean omitted = omitRequestBodies || call.omitRequest();
    CapturedBody body = null;
    if (withBody && !omitted && exchange.hasRequestBody()) {
      body =
          Bodies.of(
              RawBodies.requestBytes(exchange),
              RawBodies.requestJsonType(exchange),
              exchange.requestBodyTruncated());
    }
    return new CapturedRequest(
        exchange.url(),
        exchange.method(),
        exchange.requestHeaders(),
        body,
        omitted,
        !omitted && exchange.requestBodyTruncated());
  }

  private CapturedResponse response(
      CallMetadata call, CapturedExchange exchange, boolean stream, AdapterResult specific) {
    if (exchange.responseStatus() == 0) {
      return null;
    }
    boolean omitted = omitResponseBodies || call.omitResponse();
    boolean truncated = exchange.responseBodyTruncated();
    if (omitted) {
      return new CapturedResponse(
          exchange.responseStatus(), exchange.responseHeaders(), null, null, true, false);
    }
    // Read in place: the exchange is dropped once the record exists, so the record can own them.
    ByteChunks bytes = RawBodies.responseBytes(exchange);
    if (bytes == null) {
      bytes = ByteChunks.EMPTY;
    }
    boolean jsonType = RawBodies.responseJsonType(exchange);
    if (exchange.isEventStream() || (stream && !jsonType)) {
      return streamResponse(exchange, bytes, truncated, specific);
    }
    return new CapturedResponse(
        exchange.responseStatus(),
        exchange.responseHeaders(),
        Bodies.of(bytes, jsonType, truncated),
        null,
        false,
        truncated);
  }

  /**
   * A streamed response holds its bytes once: the raw stream, from which exporters rebuild the
   * readable message when they write it (unless the adapter built one eagerly).
   */
  private static CapturedResponse streamResponse(
      CapturedExchange exchange, ByteChunks bytes, boolean truncated, AdapterResult specific) {
    CapturedBody readable = specific == null ? null : specific.responseBody();
    ByteChunks text = truncated ? bytes.prefix(Bodies.completeUtf8Prefix(bytes)) : bytes;
    if (readable == null && text.length() > 0 && Bodies.isUtf8Text(text)) {
      return RawBodies.streamResponse(
          exchange.responseStatus(),
          exchange.responseHeaders(),
          text,
          specific == null ? null : specific.responseBodyRebuilder(),
          truncated);
    }
    CapturedBody raw = Bodies.of(bytes, false, truncated);
    return new CapturedResponse(
        exchange.responseStatus(),
        exchange.responseHeaders(),
        readable != null ? readable : raw,
        raw == null ? null : raw.text(),
        false,
        truncated);
  }

  private static <T> T pick(T preferred, T fallback) {
    return preferred != null ? preferred : fallback;
  }
}
