package ai.helicone.export.http.internal;

import ai.helicone.export.ExportResult;
import ai.helicone.internal.RetryAfter;
import ai.helicone.spi.SdkDiagnostics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends prepared HTTP requests with bounded concurrency, a timeout per attempt, and retries with
 * exponential backoff and jitter on 408, 429, 5xx, timeouts and connection errors. Other statuses
 * are final rejections. Both end up in the returned {@link ExportResult} with the server's message;
 * the export pipeline counts and logs that result, so logging it here too would say it twice.
 *
 * <p>It remembers which record ids were delivered or rejected, so when the pipeline retries a
 * batch, those records are not sent twice. Its HTTP client is private and never instrumented.
 *
 * <p>{@link #deliver} is meant to be called from one thread at a time (an exporter's worker);
 * {@link #close} may be called from any thread.
 */
public final class HttpDelivery implements AutoCloseable {
  /**
   * One HTTP request carrying some records.
   *
   * @param ids the ids of the records it carries
   * @param request the request to send
   */
  public record Outgoing(List<String> ids, Request request) {}

  /** Turns a final rejection into the message of the failed {@link ExportResult}. */
  @FunctionalInterface
  public interface RejectionDescriber {
    String describe(int status, String serverMessage);
  }

  private static final int REMEMBERED_IDS = 10_000;
  private static final int MESSAGE_LIMIT = 500;
  private static final Duration GRACE = Duration.ofSeconds(2);

  private final DeliverySettings settings;
  private final String targetDescription;
  private final RejectionDescriber rejectionDescriber;
  private volatile SdkDiagnostics diagnostics;
  private final OkHttpClient client;
  private final ThreadPoolExecutor executor;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Set<Call> inFlight = ConcurrentHashMap.newKeySet();
  private final Map<String, Boolean> finished =
      Collections.synchronizedMap(
          new LinkedHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > REMEMBERED_IDS;
            }
          });

  /**
   * @param settings limits and retries
   * @param targetDescription what is being called, for messages, such as {@code Helicone at
   *     https://api.worker.helicone.ai}
   * @param rejectionDescriber words a final rejection
   * @param diagnostics where unexpected failures of the sender itself are counted and logged
   * @param threadNamePrefix names the sending threads
   */
  public HttpDelivery(
      DeliverySettings settings,
      String targetDescription,
      RejectionDescriber rejectionDescriber,
      SdkDiagnostics diagnostics,
      String threadNamePrefix) {
    this.settings = settings;
    this.targetDescription = targetDescription;
    this.rejectionDescriber = rejectionDescriber;
    this.diagnostics = diagnostics;
    // A private client built from scratch: it carries no application interceptor, so the
    // exporter's own traffic is never captured as an LLM call.
    this.client =
        new OkHttpClient.Builder()
            .connectTimeout(settings.requestTimeout())
            .readTimeout(settings.requestTimeout())
            .writeTimeout(settings.requestTimeout())
            .callTimeout(settings.requestTimeout())
            .retryOnConnectionFailure(false)
            .followRedirects(false)
            // Every sender keeps its connection alive between records.
            .connectionPool(new ConnectionPool(settings.maxConcurrency(), 5, TimeUnit.MINUTES))
            .build();
    // Sends are synchronous on this class's own threads, so the dispatcher's limits only matter
    // for asynchronous use; they are raised to match anyway so they never become the bottleneck.
    client.dispatcher().setMaxRequests(Math.max(64, settings.maxConcurrency()));
    client.dispatcher().setMaxRequestsPerHost(Math.max(5, settings.maxConcurrency()));
    AtomicInteger threadCount = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            settings.maxConcurrency(),
            settings.maxConcurrency(),
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, threadNamePrefix + "-" + threadCount.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.allowCoreThreadTimeOut(true);
  }

  /** Reports later failures to {@code diagnostics} instead. */
  public void attach(SdkDiagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  /** True when the record was already delivered or finally rejected. */
  public boolean isFinished(String id) {
    return finished.containsKey(id);
  }

  /** Sends every request and returns when all are delivered, rejected or out of time. */
  public ExportResult deliver(List<Outgoing> items) {
    if (items.isEmpty()) {
      return ExportResult.success();
    }
    long deadline = System.nanoTime() + settings.exportTimeout().toNanos();
    List<Future<Outcome>> futures = new ArrayList<>(items.size());
    try {
      for (Outgoing item : items) {
        futures.add(executor.submit(() -> sendWithRetries(item.request(), deadline)));
      }
    } catch (RuntimeException e) {
      futures.forEach(f -> f.cancel(true));
      return ExportResult.retryable("exporter is closed");
    }
    int rejected = 0;
    int rejectedRecords = 0;
    int retryable = 0;
    String firstRejection = null;
    String firstRetryable = null;
    Duration retryAfter = null;
    // Records not delivered: only these are retried or counted failed when retries run out.
    List<String> undelivered = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Outcome outcome = await(futures.get(i), deadline);
      switch (outcome.kind) {
        case SENT -> items.get(i).ids().forEach(id -> finished.put(id, Boolean.TRUE));
        case REJECTED -> {
          rejected++;
          rejectedRecords += items.get(i).ids().size();
          undelivered.addAll(items.get(i).ids());
          items.get(i).ids().forEach(id -> finished.put(id, Boolean.TRUE));
          firstRejection = firstRejection == null ? outcome.message : firstRejection;
        }
        default -> {
          retryable++;
          undelivered.addAll(items.get(i).ids());
          firstRetryable = firstRetryable == null ? outcome.message : firstRetryable;
          if (outcome.retryAfter != null
              && (retryAfter == null || outcome.retryAfter.compareTo(retryAfter) > 0)) {
            retryAfter = outcome.retryAfter;
          }
        }
      }
    }
    if (retryable > 0) {
      String message =
          retryable
              + " of "
              + items.size()
              + " requests to "
              + targetDescription
              + " not delivered: "
              + firstRetryable;
      return (retryAfter != null
              ? ExportResult.retryable(message, retryAfter)
              : ExportResult.retryable(message))
          .withUndelivered(undelivered);
    }
    if (rejected > 0) {
      return ExportResult.failure(
          rejected + " of " + items.size() + " requests rejected: " + firstRejection,
          rejectedRecords);
    }
    return ExportResult.success();
  }

  private Outcome await(Future<Outcome> future, long deadline) {
    long waitNanos = Math.max(0, deadline - System.nanoTime()) + GRACE.toNanos();
    try {
      return future.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      inFlight.forEach(Call::cancel);
      return Outcome.retry("export timed out after " + settings.exportTimeout(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      return Outcome.retry("interrupted", null);
    } catch (ExecutionException | CancellationException e) {
      return Outcome.retry(String.valueOf(e.getCause() != null ? e.getCause() : e), null);
    }
  }

  private Outcome sendWithRetries(Request request, long deadline) {
    Outcome last = null;
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0 || closed.getCount() == 0) {
        break;
      }
      last = sendOnce(request, remaining);
      if (last.kind != Kind.RETRY || attempt == settings.maxAttempts()) {
        return last;
      }
      Duration wait = backoff(attempt);
      if (last.retryAfter != null) {
        if (last.retryAfter.compareTo(settings.maxBackoff()) > 0) {
          // The server asked for a longer pause than this exporter waits: the pipeline retries.
          return last;
        }
        wait = last.retryAfter;
      }
      if (System.nanoTime() + wait.toNanos() >= deadline || !pause(wait)) {
        return last;
      }
    }
    return last != null ? last : Outcome.retry("no time left to send", null);
  }

  private Outcome sendOnce(Request request, long remainingNanos) {
    Call call = client.newCall(request);
    call.timeout()
        .timeout(
            Math.min(settings.requestTimeout().toNanos(), remainingNanos), TimeUnit.NANOSECONDS);
    inFlight.add(call);
    try (Response response = call.execute()) {
      int code = response.code();
      if (code >= 200 && code < 300) {
        String error = ErrorBodies.errorOf(response);
        if (error == null) {
          return Outcome.SENT_OUTCOME;
        }
        // Helicone answers 200 with {"error": ...} when it could not store the log.
        String message = targetDescription + " answered " + code + " with an error: " + error;
        return ErrorBodies.isTransient(error)
            ? Outcome.retry(message, null)
            : Outcome.rejected(message);
      }
      String serverMessage = readMessage(response);
      if (code == 408 || code == 429 || code >= 500) {
        return Outcome.retry(
            targetDescription + " answered " + code + ": " + serverMessage,
            parseRetryAfter(response.header("Retry-After")));
      }
      return Outcome.rejected(rejectionDescriber.describe(code, serverMessage));
    } catch (IOException e) {
      return Outcome.retry(
          "cannot reach "
              + targetDescription
              + ": "
              + e.getClass().getSimpleName()
              + (e.getMessage() != null ? " " + e.getMessage() : ""),
          null);
    } catch (RuntimeException e) {
      String message = "cannot send to " + targetDescription + ": " + e;
      diagnostics.error("http-export-send", message, e);
      return Outcome.rejected(message);
    } finally {
      inFlight.remove(call);
    }
  }

  private static String readMessage(Response response) {
    try {
      String body = response.peekBody(MESSAGE_LIMIT).string().trim();
      return body.isEmpty() ? "(empty body)" : body.replaceAll("\\s+", " ");
    } catch (IOException | RuntimeException e) {
      return "(unreadable body)";
    }
  }

  private Duration backoff(int attempt) {
    long base = settings.initialBackoff().toMillis();
    long cap = settings.maxBackoff().toMillis();
    long exp = base << Math.min(attempt - 1, 20);
    long delay = Math.min(cap, exp < 0 ? cap : exp);
    // Full jitter on the upper half spreads out exporters that failed together.
    long jittered = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    return Duration.ofMillis(jittered);
  }

  /** Waits, returning false when the delivery was closed meanwhile. */
  private boolean pause(Duration wait) {
    try {
      return !closed.await(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Seconds or an HTTP date, capped at five minutes; null when absent or unreadable. */
  static Duration parseRetryAfter(String value) {
    return RetryAfter.parse(value);
  }

  /** Cancels calls in flight, stops the threads and drops pooled connections. */
  @Override
  public void close() {
    closed.countDown();
    inFlight.forEach(Call::cancel);
    executor.shutdownNow();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private enum Kind {
    SENT,
    REJECTED,
    RETRY
  }

  private static final class Outcome {
    static final Outcome SENT_OUTCOME = new Outcome(Kind.SENT, null, null);

    final Kind kind;
    final String message;
    final Duration retryAfter;

    private Outcome(Kind kind, String message, Duration retryAfter) {
      this.kind = kind;
      this.message = message;
      this.retryAfter = retryAfter;
    }

    static Outcome rejected(String message) {
      return new Outcome(Kind.REJECTED, message, null);
    }

    static Outcome retry(String message, Duration retryAfter) {
      return new Outcome(Kind.RETRY, message, retryAfter);
    }
  }
}
