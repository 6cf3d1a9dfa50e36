package ai.helicone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.export.InMemoryExporter;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their effect on the thread
class ManualLogTest {
  private final InMemoryExporter exporter = new InMemoryExporter();
  private final Helicone helicone =
      Helicone.builder().addExporter(exporter).batchDelay(Duration.ofMillis(5)).build();

  @AfterEach
  void close() {
    helicone.close();
  }

  private HeliconeRecord only() {
    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(exporter.records()).hasSize(1);
    return exporter.records().get(0);
  }

  @Test
  void aLoggedCallIsRecordedLikeACapturedOneWithTheCurrentContext() {
    Instant start = Instant.parse("2026-11-30T01:00:00Z");
    String id;
    try (HeliconeSession session =
            helicone.session("Manual").userId("u-9").property("Source", "batch").start();
        HeliconeScope path = session.path("/nightly")) {
      id =
          helicone
              .log()
              .url("https://llm.internal.example/v1/chat?key=very-secret")
              .provider("openai")
              .requestJson("{\"model\":\"gpt-4o-mini\",\"messages\":[]}")
              .responseJson("{\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[]}")
              .startTime(start)
              .endTime(start.plusMillis(1500))
              .timeToFirstToken(Duration.ofMillis(300))
              .usage(Usage.builder().inputTokens(1000L).outputTokens(500L).build())
              .send();
    }

    HeliconeRecord r = only();
    assertThat(r.id()).isEqualTo(id);
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.provider()).isEqualTo("openai");
    assertThat(r.requestModel()).isEqualTo("gpt-4o-mini");
    assertThat(r.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(r.usage().inputTokens()).isEqualTo(1000L);
    // gpt-4o-mini: 1000 x 0.15 + 500 x 0.60 per 1M tokens
    assertThat(r.costUsd()).isEqualByComparingTo("0.00045");
    assertThat(r.duration()).isEqualTo(Duration.ofMillis(1500));
    assertThat(r.timeToFirstToken()).isEqualTo(Duration.ofMillis(300));
    assertThat(r.sessionName()).isEqualTo("Manual");
    assertThat(r.sessionPath()).isEqualTo("/nightly");
    assertThat(r.userId()).isEqualTo("u-9");
    assertThat(r.properties()).containsExactly(Map.entry("Source", "batch"));
    assertThat(r.request().url()).doesNotContain("very-secret");
    assertThat(r.response().status()).isEqualTo(200);
  }

  @Test
  void aFailedCallWithoutResponseIsAnError() {
    helicone
        .log()
        .url("https://api.openai.com/v1/chat/completions")
        .requestJson("{\"model\":\"gpt-4o\"}")
        .status(0)
        .error("connect timed out")
        .send();

    HeliconeRecord r = only();
    assertThat(r.status()).isEqualTo(RecordStatus.ERROR);
    assertThat(r.error()).isEqualTo("connect timed out");
    assertThat(r.response()).isNull();
  }

  @Test
  void anHttpErrorStatusIsAnError() {
    helicone
        .log()
        .url("https://api.openai.com/v1/chat/completions")
        .responseJson("{\"error\":{\"message\":\"bad\"}}")
        .status(400)
        .send();

    assertThat(only().status()).isEqualTo(RecordStatus.ERROR);
  }

  @Test
  void omitFlagsOfTheContextApply() {
    try (HeliconeScope scope = helicone.context().omitRequest().omitResponse().attach()) {
      helicone
          .log()
          .url("https://api.openai.com/v1/chat/completions")
          .requestJson("{\"model\":\"gpt-4o\"}")
          .responseJson("{\"model\":\"gpt-4o\"}")
          .send();
    }
    HeliconeRecord r = only();
    assertThat(r.request().omitted()).isTrue();
    assertThat(r.request().body()).isNull();
    assertThat(r.response().omitted()).isTrue();
  }

  @Test
  void invalidArgumentsAreRejectedAtOnce() {
    assertThatThrownBy(() -> helicone.log().url("not a url"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> helicone.log().status(-3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> helicone.log().send()).isInstanceOf(IllegalStateException.class);
    Instant now = Instant.now();
    assertThatThrownBy(
            () ->
                helicone
                    .log()
                    .url("https://api.openai.com/v1/chat/completions")
                    .startTime(now)
                    .endTime(now.minusSeconds(1))
                    .send())
        .isInstanceOf(IllegalStateException.class);
  }
}
