package ai.helicone.bench;

import ai.helicone.Helicone;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * What capture costs a caller reading a streamed chat completion: 500 server-sent events (about 100
 * KB, {@code text/event-stream}, one event per socket read) read line by line, as an SSE client
 * does, through a plain client and through an instrumented one, where every read passes through the
 * capture's response body and is copied and time-stamped. One call's fixed capture cost (see {@link
 * CallOverheadBenchmark}) is included; divide the difference by 500 for the cost per event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class StreamReadBenchmark {
  static final int EVENTS = 500;

  /** Records held at most while the worker catches up: about 110 KB each, 28 MB in all. */
  static final int QUEUE_CAPACITY = 256;

  @State(Scope.Benchmark)
  public static class Plain {
    OkHttpClient client;
    final Request request = CannedAnswer.chatRequest(true);

    @Setup(Level.Trial)
    public void setUp() {
      client = CannedAnswer.client(CannedAnswer.eventStream(CannedAnswer.chatStream(EVENTS)));
    }
  }

  @State(Scope.Benchmark)
  public static class Instrumented {
    Helicone helicone;
    OkHttpClient client;
    final Request request = CannedAnswer.chatRequest(true);

    @Setup(Level.Trial)
    public void setUp() {
      helicone = DiscardingExporter.helicone(QUEUE_CAPACITY);
      client =
          helicone.instrument(
              CannedAnswer.client(CannedAnswer.eventStream(CannedAnswer.chatStream(EVENTS))));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      DiscardingExporter.closeAndReport(helicone);
    }
  }

  @Benchmark
  public int plain(Plain state, CallerThreadAllocation caller, Blackhole bh) throws IOException {
    caller.call();
    return readEvents(state.client, state.request, bh::consume);
  }

  @Benchmark
  public int instrumented(Instrumented state, CallerThreadAllocation caller, Blackhole bh)
      throws IOException {
    caller.call();
    return readEvents(state.client, state.request, bh::consume);
  }

  /** Reads the stream to its end line by line; returns the number of {@code data:} lines. */
  static int readEvents(OkHttpClient client, Request request, Consumer<String> onData)
      throws IOException {
    int events = 0;
    try (Response response = client.newCall(request).execute()) {
      BufferedSource source = response.body().source();
      for (String line; (line = source.readUtf8Line()) != null; ) {
        if (line.startsWith("data: ")) {
          events++;
          onData.accept(line);
        }
      }
    }
    return events;
  }
}
