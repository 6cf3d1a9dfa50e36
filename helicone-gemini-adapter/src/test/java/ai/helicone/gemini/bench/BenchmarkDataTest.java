package ai.helicone.gemini.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.spi.AdapterResult;
import org.junit.jupiter.api.Test;

/**
 * Checks that the benchmarks measure what they claim (runs as a unit test; the benchmarks do not).
 */
class BenchmarkDataTest {
  @Test
  void everyStreamHasFiveHundredChunksAndItsUsage() throws Exception {
    StreamParseBenchmark b = new StreamParseBenchmark();
    b.setUp();
    String sse = new String(StreamParseBenchmark.geminiSse(StreamParseBenchmark.CHUNKS));
    assertThat(sse.split("\r\n\r\n", -1)).hasSize(StreamParseBenchmark.CHUNKS + 1);
    for (AdapterResult r : new AdapterResult[] {b.geminiSse500(), b.geminiJsonArray500()}) {
      assertThat(r.usage().outputTokens()).isEqualTo(500);
      assertThat(r.streamCompleted()).isTrue();
      assertThat(r.timeToFirstToken()).isNotNull();
    }
    // The readable message is rebuilt from the raw stream, as an exporter does.
    assertThat(
            b.geminiSse500().responseBodyRebuilder().apply(b.geminiSse.responseBodyStream()).text())
        .contains(" word word");
    AdapterResult openAi = b.openAiSse500Baseline();
    assertThat(openAi.usage().outputTokens()).isEqualTo(497);
    assertThat(openAi.usage().estimated()).isFalse();
    assertThat(openAi.responseBodyRebuilder().apply(b.openAiSse.responseBodyStream()).text())
        .contains(" word word");
  }
}
