package ai.helicone.internal.parse;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.internal.record.RawBodies;
import ai.helicone.spi.CapturedExchange;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestFieldsTest {
  private static final RequestFields.Layout LAYOUT =
      RequestFields.Layout.builder()
          .decimals("temperature")
          .integers("max_tokens")
          .integer("max_completion_tokens", "max_tokens")
          .stop("stop_sequences")
          .build();

  private static RequestFields read(String body) {
    return RequestFields.read(
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), LAYOUT);
  }

  @Test
  void modelStreamAndTheLayoutsParametersAreReadAndTheRestSkipped() {
    RequestFields fields =
        read(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"model\":\"m\","
                + "\"max_completion_tokens\":64,\"max_tokens\":10,\"temperature\":0.5,"
                + "\"stream\":true,\"stop_sequences\":[\"END\",3],\"top_k\":5}");
    assertThat(fields.model()).isEqualTo("m");
    assertThat(fields.stream()).isTrue();
    assertThat(fields.parameters())
        .containsExactly(
            Map.entry("max_tokens", 64L),
            Map.entry("temperature", 0.5),
            Map.entry("stop", List.of("END")));
  }

  @Test
  void aStopStringIsAListAndACutBodyKeepsWhatWasRead() {
    assertThat(read("{\"stop_sequences\":\"END\"}").parameters())
        .containsExactly(Map.entry("stop", List.of("END")));
    RequestFields cut = read("{\"model\":\"m\",\"temperature\":0.2,\"messages\":[{\"ro");
    assertThat(cut.model()).isEqualTo("m");
    assertThat(cut.stream()).isFalse();
    assertThat(cut.parameters()).containsExactly(Map.entry("temperature", 0.2));
    assertThat(read("not json").model()).isNull();
  }

  private static boolean knownJsonAfterReading(String body) {
    CapturedExchange exchange =
        CapturedExchange.builder()
            .method("POST")
            .url("http://localhost/v1/chat/completions")
            .requestBody(body.getBytes(StandardCharsets.UTF_8), false)
            .startTime(Instant.EPOCH)
            .endTime(Instant.EPOCH)
            .build();
    RequestFields.read(exchange.requestBodyStream(), LAYOUT);
    return RawBodies.requestBytes(exchange).isKnownJson();
  }

  @Test
  void aCapturedRequestReadWholeAsOneObjectIsKnownToBeJson() {
    assertThat(knownJsonAfterReading("{\"model\":\"m\",\"messages\":[{\"x\":1}]}\n")).isTrue();
    assertThat(knownJsonAfterReading("{\"model\":\"m\"} {}")).isFalse();
    assertThat(knownJsonAfterReading("{\"model\":\"m\",")).isFalse();
    assertThat(knownJsonAfterReading("[1]")).isFalse(); // not an object: not read
  }
}
