package ai.helicone.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.internal.record.ByteChunks;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseSummaryTest {
  private static ResponseSummary read(String json) {
    return ResponseSummary.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void groqUsageSurvivesALaterNullUsage() {
    ResponseSummary s =
        read(
            "{\"id\":\"c\",\"x_groq\":{\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2}},"
                + "\"usage\":null}");
    assertThat(s.usage().inputTokens()).isEqualTo(7);
  }

  @Test
  void usageReadInPlaceWithTheReportedCostAsWritten() {
    ResponseSummary s =
        read(
            "{\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2,"
                + "\"cost\":0.12345678901234567890123},\"model\":\"m\"}");
    assertThat(s.usage().inputTokens()).isEqualTo(7);
    assertThat(s.usage().outputTokens()).isEqualTo(2);
    assertThat(s.reportedCost().toPlainString()).isEqualTo("0.12345678901234567890123");
    assertThat(s.model()).isEqualTo("m");
    assertThat(s.isValidJson()).isTrue();
  }

  @Test
  void embeddingsUsageAfterTheDataArray() {
    StringBuilder data = new StringBuilder("[");
    for (int i = 0; i < 200; i++) {
      data.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i);
      data.append(",\"embedding\":[0.0023064255,-0.009327292,0.015797347]}");
    }
    ResponseSummary s =
        read(
            "{\"object\":\"list\",\"data\":"
                + data
                + "],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":8,"
                + "\"total_tokens\":8}}");
    assertThat(s.model()).isEqualTo("text-embedding-3-small");
    assertThat(s.usage().inputTokens()).isEqualTo(8);
  }

  private static ByteChunks readCaptured(String body) {
    ByteChunks chunks = ByteChunks.of(body.getBytes(StandardCharsets.UTF_8));
    ResponseSummary.read(chunks.inputStream());
    return chunks;
  }

  @Test
  void aCapturedBodyReadWholeAsOneValueIsKnownToBeJson() {
    assertThat(readCaptured("{\"id\":\"c\",\"choices\":[{\"index\":0}]}\n").isKnownJson()).isTrue();
    assertThat(readCaptured("[{\"id\":1}]").isKnownJson()).isTrue();
    assertThat(readCaptured("{\"id\":\"c\"} trailing").isKnownJson()).isFalse();
    assertThat(readCaptured("{\"id\":\"c\"}{}").isKnownJson()).isFalse();
    assertThat(readCaptured("{\"id\":\"c\",").isKnownJson()).isFalse();
    assertThat(readCaptured("").isKnownJson()).isFalse();
  }
}
