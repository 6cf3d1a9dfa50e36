package ai.helicone.export.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonLimitsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void capsStringsAndArraysButKeepsTheShape() throws Exception {
    JsonNode node =
        MAPPER.readTree("{\"model\":\"m\",\"text\":\"abcdefghij\",\"vector\":[1,2,3,4,5]}");

    JsonNode capped = JsonLimits.capped(node, 4, 2);

    assertThat(capped)
        .isEqualTo(
            MAPPER.readTree(
                "{\"model\":\"m\",\"text\":\"abcd...[truncated]\","
                    + "\"vector\":[1,2,\"[3 more items truncated]\"]}"));
    assertThat(JsonLimits.longestString(node)).isEqualTo(10);
  }

  @Test
  void headAndTailCutsAtLineBreaks() {
    String text = "data: 1\n\n".repeat(100) + "data: usage\n\ndata: [DONE]\n\n";

    String cut = JsonLimits.headAndTail(text, 200);

    assertThat(cut.length()).isLessThanOrEqualTo(200);
    assertThat(cut).startsWith("data: 1\n\n").endsWith("data: usage\n\ndata: [DONE]\n\n");
    assertThat(cut).contains("\n: truncated ");
  }

  @Test
  void neverSplitsASurrogatePair() {
    String text = "a".repeat(3) + "😀" + "b".repeat(10);

    assertThat(JsonLimits.cut(text, 4)).isEqualTo("aaa");
  }
}
