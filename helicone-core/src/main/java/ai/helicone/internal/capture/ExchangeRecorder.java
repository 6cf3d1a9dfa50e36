package ai.helicone.internal.capture;

import ai.helicone.internal.record.ByteChunks;
import ai.helicone.internal.record.RawBodies;
import ai.helicone.record.RecordStatus;
import ai.helicone.spi.CapturedExchange;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Headers;
import okio.Buffer;

/**
 * The capture state of one call, completed exactly once. Bytes are recorded on the thread that
 * reads the body; completion may come from another thread (a close from elsewhere), so the mutable
 * state is guarded by this object's lock, which is uncontended in the usual case.
 */
final class ExchangeRecorder {
  /** Reads recorded in the timeline; time to first token lies early in a stream. */
  static final int MAX_TIMELINE_READS = 4096;

  /**
   * A read this soon after the last one in the timeline extends that entry instead of adding one:
   * times are then early by at most this much, far finer than time to first token needs, and a
   * stream delivered in a burst costs one entry rather than one per read.
   */
  static final long TIMELINE_RESOLUTION_NANOS = 100_000;

  private static final int INITIAL_TIMELINE_CAPACITY = 4;

  private final CaptureSettings settings;
  private final CaptureSink sink;
  private final Object metadata;
  private final Instant startTime;
  private final long startNanos;
  private final AtomicBoolean completed = new AtomicBoolean();

  private String method;
  private String url;
  private Map<String, String> requestHeaders = Map.of();
  private ByteChunks requestBody;
  private boolean requestBodyTruncated;
  private int status;
  private Map<String, String> responseHeaders = Map.of();
  private long headersNanos = -1;

  // Response body capture, guarded by this. Holds copies: sharing the caller's segments instead
  // would keep each read's whole 8 KiB segment alive and stop okio from reusing it.
  private CapturedBytes captured;
  private UnclosedBodies.Watch unclosedWatch;
  private long bytesRead;
  private boolean responseTruncated;
  private long[] timelineOffsets;
  private long[] timelineNanos;
  private int timelineSize;

  ExchangeRecorder(
      CaptureSettings settings,
      CaptureSink sink,
      Object metadata,
      Instant startTime,
      long startNanos) {
    this.settings = settings;
    this.sink = sink;
    this.metadata = metadata;
    this.startTime = startTime;
    this.startNanos = startNanos;
  }

  /**
   * @param bodyContentType the body's content type when OkHttp will add it as a header (the request
   *     has none), otherwise null
   */
  void request(String method, String redactedUrl, Headers headers, String bodyContentType) {
    this.method = method;
    this.url = redactedUrl;
    this.requestHeaders = Redaction.redactHeaders(headers, bodyContentType);
  }

  void requestBody(byte[] sent) {
    int cap = settings.maxCapturedBodyBytes();
    byte[] kept = sent;
    if (sent.length > cap) {
      kept = Arrays.copyOf(sent, cap);
      requestBodyTruncated = true;
    }
    // Checked here, where the bytes were just written and are still in the cache: an ASCII body,
    // as most JSON requests are, then needs no UTF-8 check when its record is built.
    requestBody = ByteChunks.ofChecked(kept);
  }

  void responseHeaders(int code, Headers headers) {
    headersNanos = System.nanoTime() - startNanos;
    status = code;
    responseHeaders = Redaction.redactHeaders(headers);
  }

  /**
   * A body is about to be read; {@code contentLength} is its declared length, or -1.
   *
   * @param body the body the caller reads, watched so that a body dropped unclosed still completes
   */
  synchronized void bodyStarts(long contentLength, Object body) {
    captured =
        new CapturedBytes(
            contentLength < 0 ? -1 : Math.min(contentLength, settings.maxCapturedBodyBytes()));
    unclosedWatch = UnclosedBodies.watch(body, this);
  }

  /**
   * Records {@code count} bytes just delivered to the caller, which sit at the end of {@code
   * source}. Cheap: a copy up to the cap and two array stores.
   */
  void bytesDelivered(Buffer source, long count) {
    bytesDelivered(source, count, System.nanoTime());
  }

  /** The same, for reads at {@code nanoTime} on the clock of {@link System#nanoTime()}. */
  synchronized void bytesDelivered(Buffer source, long count, long nanoTime) {
    if (completed.get()) {
      return;
    }
    long now = nanoTime - startNanos;
    long room = settings.maxCapturedBodyBytes() - captured.size();
    long toCopy = Math.min(room, count);
    if (toCopy > 0) {
      captured.copyFrom(source, source.size() - count, toCopy);
    }
    if (toCopy < count) {
      responseTruncated = true;
    }
    bytesRead += count;
    if (timelineSize > 0 && now - timelineNanos[timelineSize - 1] < TIMELINE_RESOLUTION_NANOS) {
      timelineOffsets[timelineSize - 1] = bytesRead;
    } else if (timelineSize < MAX_TIMELINE_READS) {
      if (timelineOffsets == null) {
        timelineOffsets = new long[INITIAL_TIMELINE_CAPACITY];
        timelineNanos = new long[INITIAL_TIMELINE_CAPACITY];
      } else if (timelineSize == timelineOffsets.length) {
        int grown = Math.min(MAX_TIMELINE_READS, timelineSize * 4);
        timelineOffsets = Arrays.copyOf(timelineOffsets, grown);
        timelineNanos = Arrays.copyOf(timelineNanos, grown);
      }
      timelineOffsets[timelineSize] = bytesRead;
      timelineNanos[timelineSize] = now;
      timelineSize++;
    }
  }

  /** The number of response body bytes delivered to the caller so far. */
  synchronized long bytesRead() {
    return bytesRead;
  }

  /** The call failed before a response arrived: no status, no response headers. */
  void failBeforeResponse(Throwable error, boolean canceled) {
    complete(
        canceled ? RecordStatus.CANCELLED : RecordStatus.ERROR, Redaction.describeFailure(error));
  }

  /** The response has no body to wait for (HEAD, 204, 304, empty). */
  void completeWithoutBody(boolean emptyBody) {
    synchronized (this) {
      captured = emptyBody ? new CapturedBytes(0) : null;
    }
    complete(RecordStatus.SUCCESS, null);
  }

  void endOfBody() {
    complete(RecordStatus.SUCCESS, null);
  }

  void closedBeforeEnd() {
    complete(RecordStatus.CANCELLED, null);
  }

  void readFailed(Throwable error, boolean canceled) {
    complete(
        canceled ? RecordStatus.CANCELLED : RecordStatus.ERROR, Redaction.describeFailure(error));
  }

  /**
   * The application dropped the response without reading its body to the end or closing it: the
   * call is reported as cancelled, late (when the garbage collector noticed), and the mistake is
   * logged, since OkHttp leaks the connection too.
   */
  void neverClosed() {
    if (completed.get()) {
      return;
    }
    settings
        .diagnostics()
        .warn(
            "capture.unclosed",
            "a response body was neither read to its end nor closed; its call is recorded as"
                + " cancelled and OkHttp leaks its connection. Close every Response.");
    complete(RecordStatus.CANCELLED, "response body was never closed");
  }

  /** Gives up on this exchange without reporting it (the capture itself failed). */
  void abandon() {
    completed.set(true);
    stopWatching();
  }

  private synchronized void stopWatching() {
    if (unclosedWatch != null) {
      unclosedWatch.done();
      unclosedWatch = null;
    }
  }

  /** Recording bytes failed: report it and stop capturing this exchange. */
  void captureFailed(RuntimeException e) {
    settings.diagnostics().error("capture.read", "capturing a response body failed", e);
    abandon();
  }

  private void complete(RecordStatus outcome, String transportError) {
    if (!completed.compareAndSet(false, true)) {
      return;
    }
    stopWatching();
    try {
      CapturedExchange exchange = build(outcome, transportError);
      sink.completed(metadata, exchange);
    } catch (RuntimeException | LinkageError e) {
      settings.diagnostics().error("capture.complete", "completing a captured call failed", e);
    }
  }

  private synchronized CapturedExchange build(RecordStatus outcome, String transportError) {
    long elapsed = System.nanoTime() - startNanos;
    CapturedExchange.Builder b =
        CapturedExchange.builder()
            .method(method)
            .url(url)
            .requestHeaders(requestHeaders)
            .responseStatus(status)
            .responseHeaders(responseHeaders)
            .outcome(outcome)
            .transportError(transportError)
            .startTime(startTime)
            .endTime(startTime.plusNanos(elapsed))
            .duration(Duration.ofNanos(elapsed));
    RawBodies.requestBody(b, requestBody, requestBodyTruncated);
    if (headersNanos >= 0) {
      b.timeToResponseHeaders(Duration.ofNanos(headersNanos));
    }
    if (captured != null) {
      RawBodies.responseBody(b, captured.toChunks(), responseTruncated);
      captured = null;
    }
    if (timelineSize > 0) {
      // Handed over as they are: this recorder is done with them.
      b.readTimeline(timelineOffsets, timelineNanos, timelineSize);
    }
    return b.build();
  }
}
