package ai.helicone.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Calls to a loopback server in another JVM through bare OkHttp, helicone-java (JSON Lines export)
 * and OpenTelemetry's OkHttp instrumentation (spans logged as JSON Lines). JMH's own score is the
 * call rate; {@link Meter} records process CPU, export-thread CPU, allocation and drops per
 * iteration, which {@link Summary} turns into the goal lines.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class CallBenchmarks {
  static final MediaType JSON = MediaType.get("application/json");

  @State(Scope.Benchmark)
  public static class Run {
    @Param({"bare", "helicone", "otel"})
    public String variant;

    Server server;
    Variant v;
    Request plain;
    Request stream;
    final Meter meter = new Meter();

    @Setup(Level.Trial)
    public void setUp() {
      server = new Server();
      v = Variant.create(variant);
      plain = request(server.url, false);
      stream = request(server.url, true);
    }

    @Setup(Level.Iteration)
    public void startIteration() {
      meter.start(v);
    }

    @TearDown(Level.Iteration)
    public void stopIteration(BenchmarkParams params, IterationParams iteration) {
      String method = params.getBenchmark();
      meter.stop(
          method.substring(method.lastIndexOf('.') + 1),
          v,
          iteration.getType() == IterationType.MEASUREMENT);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      v.close();
      server.close();
    }
  }

  /** Paces one thread at about 1,000 calls/s and keeps the caller's time of each call. */
  @State(Scope.Thread)
  public static class Pace {
    long[] samples = new long[1 << 16];
    int count;

    @Setup(Level.Invocation)
    public void pause() {
      LockSupport.parkNanos(1_000_000L);
    }

    @TearDown(Level.Iteration)
    public void report(Run run, IterationParams iteration) {
      long[] s = java.util.Arrays.copyOf(samples, Math.min(count, samples.length));
      java.util.Arrays.sort(s);
      if (s.length > 0 && iteration.getType() == IterationType.MEASUREMENT) {
        StringBuilder out = new StringBuilder();
        String key = "paced " + run.variant;
        Meter.line(out, key, "p50_us", s[s.length / 2] / 1e3);
        Meter.line(out, key, "p99_us", s[(int) (s.length * 0.99)] / 1e3);
        Meter.append(out.toString());
      }
      count = 0;
    }
  }

  static Request request(String url, boolean stream) {
    return new Request.Builder()
        .url(url)
        .header("Authorization", "Bearer sk-bench-not-a-key")
        .post(RequestBody.create(Payloads.chatRequest(stream), JSON))
        .build();
  }

  /** A plain chat call read in full, on one thread. */
  @Benchmark
  @Threads(1)
  public long plain(Run run) throws IOException {
    return plainCall(run);
  }

  /** The same on 16 threads: throughput under contention. */
  @Benchmark
  @Threads(16)
  public long plain16(Run run) throws IOException {
    return plainCall(run);
  }

  /** A 500-event stream read line by line. */
  @Benchmark
  @Threads(1)
  public long stream(Run run) throws IOException {
    long lines = 0;
    try (Response response = run.v.calls.newCall(run.stream).execute()) {
      BufferedSource source = response.body().source();
      while (source.readUtf8Line() != null) {
        lines++;
      }
    }
    run.meter.calls.increment();
    return lines;
  }

  /** Plain calls at about 1,000 per second: the latency the caller sees. */
  @Benchmark
  @Threads(1)
  public long paced(Run run, Pace pace) throws IOException {
    long t0 = System.nanoTime();
    long n = plainCall(run);
    if (pace.count < pace.samples.length) {
      pace.samples[pace.count++] = System.nanoTime() - t0;
    }
    return n;
  }

  private static long plainCall(Run run) throws IOException {
    long n;
    try (Response response = run.v.calls.newCall(run.plain).execute()) {
      n = response.body().bytes().length;
    }
    run.meter.calls.increment();
    return n;
  }
}
