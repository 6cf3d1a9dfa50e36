package ai.helicone.openai.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.openai.Exchanges;
import ai.helicone.openai.OpenAiAdapter;
import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Checks that the benchmarks measure what they claim (runs as a unit test; the benchmarks do not).
 */
class BenchmarkDataTest {
  @Test
  void theStreamHasFiveHundredChunksAndItsUsage() {
    byte[] stream = ChatParseBenchmark.streamOfChunks(ChatParseBenchmark.CHUNKS);
    // One more event for [DONE].
    assertThat(Exchanges.eventEnds(stream)).hasSize(ChatParseBenchmark.CHUNKS + 1);
    CapturedExchange exchange =
        Exchanges.eventPerRead(
            "https://api.openai.com/v1/chat/completions",
            "{\"stream\":true}",
            stream,
            Duration.ofMillis(1));
    AdapterResult r = new OpenAiAdapter().parse(exchange);
    assertThat(r.usage().estimated()).isFalse();
    assertThat(r.usage().outputTokens()).isEqualTo(497);
    assertThat(r.responseBodyRebuilder().apply(exchange.responseBodyStream()).text())
        .contains(" word word");
  }

  @Test
  void theResponseIsAbout64Kb() {
    byte[] body = ChatParseBenchmark.responseOf(64 * 1024);
    assertThat(body.length).isBetween(63 * 1024, 65 * 1024);
    AdapterResult r =
        new OpenAiAdapter()
            .parse(Exchanges.json("https://api.openai.com/v1/chat/completions", "{}", body));
    assertThat(r.usage().outputTokens()).isEqualTo(16000);
  }

  @Test
  void thePlainCallIsReadWholeAndPriced() {
    AdapterResult r = new OpenAiAdapter().parse(PlainCall.exchange());
    assertThat(r.usage().inputTokens()).isEqualTo(32);
    assertThat(r.usage().outputTokens()).isEqualTo(120);
    assertThat(r.model()).isEqualTo("gpt-4o-mini-2024-07-18");
  }
}
