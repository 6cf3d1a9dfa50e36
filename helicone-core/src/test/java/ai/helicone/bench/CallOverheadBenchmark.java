package ai.helicone.bench;

import ai.helicone.Helicone;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What capture costs an application's call on its own thread: a non-streamed chat completion (a 1
 * KB JSON answer, read in full by the caller) through a plain OkHttp client and through {@code
 * helicone.instrument(...)} of the same client. The answer comes from an interceptor behind the
 * capture, never from the network, so the difference is the capture itself: request copy and
 * redaction, response copy and the hand-off of the exchange to the export queue. Building the
 * record happens on the SDK's threads, which share the machine's cores with the benchmark.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class CallOverheadBenchmark {
  /** Records held at most while the worker catches up: about 4 KB each, 32 MB in all. */
  static final int QUEUE_CAPACITY = 8192;

  /**
   * More than the export and metrics queues can hold, so that every call is captured: calls back to
   * back outrun the SDK's threads, and with the default budget most of them would be left
   * uncaptured while it refuses records, which is not the cost being measured.
   */
  static final long MAX_BUFFERED_BYTES = 1L << 30;

  /** The plain client, built the way an application builds its own. */
  @State(Scope.Benchmark)
  public static class Plain {
    OkHttpClient client;
    final Request request = CannedAnswer.chatRequest(false);

    @Setup(Level.Trial)
    public void setUp() {
      client = CannedAnswer.client(CannedAnswer.json(CannedAnswer.chatCompletion()));
    }
  }

  /** The same client instrumented, exporting to {@link DiscardingExporter}. */
  @State(Scope.Benchmark)
  public static class Instrumented {
    Helicone helicone;
    OkHttpClient client;
    final Request request = CannedAnswer.chatRequest(false);

    @Setup(Level.Trial)
    public void setUp() {
      helicone = DiscardingExporter.helicone(QUEUE_CAPACITY, MAX_BUFFERED_BYTES);
      client =
          helicone.instrument(
              CannedAnswer.client(CannedAnswer.json(CannedAnswer.chatCompletion())));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      DiscardingExporter.closeAndReport(helicone);
    }
  }

  @Benchmark
  public byte[] plain(Plain state, CallerThreadAllocation caller) throws IOException {
    caller.call();
    return call(state.client, state.request);
  }

  @Benchmark
  public byte[] instrumented(Instrumented state, CallerThreadAllocation caller) throws IOException {
    caller.call();
    return call(state.client, state.request);
  }

  static byte[] call(OkHttpClient client, Request request) throws IOException {
    try (Response response = client.newCall(request).execute()) {
      return response.body().bytes();
    }
  }
}
