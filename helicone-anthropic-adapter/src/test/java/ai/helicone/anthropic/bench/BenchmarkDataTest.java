package ai.helicone.anthropic.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.anthropic.AnthropicAdapter;
import ai.helicone.openai.Exchanges;
import ai.helicone.openai.OpenAiAdapter;
import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Checks that the benchmark measures what it claims (runs as a unit test; the benchmark does not).
 */
class BenchmarkDataTest {
  private static int events(byte[] stream) {
    return new String(stream, StandardCharsets.UTF_8).split("\n\n", -1).length - 1;
  }

  @Test
  void bothStreamsHaveFiveHundredEventsAndTheirUsage() {
    byte[] anthropicStream = StreamParseBenchmark.anthropicEvents(StreamParseBenchmark.EVENTS);
    byte[] openAiStream = StreamParseBenchmark.openAiChunks(StreamParseBenchmark.EVENTS);
    assertThat(events(anthropicStream)).isEqualTo(500);
    assertThat(events(openAiStream)).isEqualTo(500);

    CapturedExchange ae =
        Exchanges.eventPerRead(
            "https://api.anthropic.com/v1/messages",
            "{\"stream\":true}",
            anthropicStream,
            Duration.ofMillis(1));
    AdapterResult a = new AnthropicAdapter().parse(ae);
    assertThat(a.usage().outputTokens()).isEqualTo(497);
    assertThat(a.streamCompleted()).isTrue();
    assertThat(a.responseBodyRebuilder().apply(ae.responseBodyStream()).text())
        .contains(" word word");

    CapturedExchange oe =
        Exchanges.eventPerRead(
            "https://api.openai.com/v1/chat/completions",
            "{\"stream\":true}",
            openAiStream,
            Duration.ofMillis(1));
    AdapterResult o = new OpenAiAdapter().parse(oe);
    assertThat(o.usage().estimated()).isFalse();
    assertThat(o.usage().outputTokens()).isEqualTo(497);
    assertThat(o.responseBodyRebuilder().apply(oe.responseBodyStream()).text())
        .contains(" word word");
  }
}
