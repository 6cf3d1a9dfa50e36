package ai.helicone.bench;

import ai.helicone.internal.export.Utf8JsonString;
import ai.helicone.internal.parse.SseParser;
import ai.helicone.internal.record.Bodies;
import ai.helicone.internal.record.ByteChunks;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The byte scans an export runs over a captured 500-event stream: the UTF-8 check, splitting it
 * into events, and writing it as a JSON string, as JSON Lines does for {@code rawBody} (from the
 * pieces it was captured in, against Jackson writing the same bytes from one array).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class RawStreamBenchmark {
  private static final JsonFactory FACTORY = new JsonFactory();

  private byte[] whole;
  private ByteChunks pieces;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 18);

  @Setup(Level.Trial)
  public void setUp() {
    whole = CannedAnswer.chatStream(StreamReadBenchmark.EVENTS);
    int size = 4096; // the size of the capture's pieces
    int count = (whole.length + size - 1) / size;
    byte[][] arrays = new byte[count][];
    int[] lengths = new int[count];
    for (int i = 0; i < count; i++) {
      lengths[i] = Math.min(size, whole.length - i * size);
      arrays[i] = new byte[size];
      System.arraycopy(whole, i * size, arrays[i], 0, lengths[i]);
    }
    pieces = ByteChunks.of(arrays, lengths, count);
  }

  @Benchmark
  public boolean checkUtf8() {
    return Bodies.isUtf8Text(pieces);
  }

  @Benchmark
  public long splitEvents() throws IOException {
    long[] sum = new long[1];
    new SseParser((event, data, length, end) -> sum[0] += length).feedAll(pieces.inputStream());
    return sum[0];
  }

  @Benchmark
  public int jacksonFromOneArray() throws IOException {
    out.reset();
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeFieldName("rawBody");
      g.writeUTF8String(whole, 0, whole.length);
      g.writeEndObject();
    }
    return out.size();
  }

  @Benchmark
  public int fromPieces() throws IOException {
    out.reset();
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeFieldName("rawBody");
      Utf8JsonString.write(g, pieces);
      g.writeEndObject();
    }
    return out.size();
  }
}
