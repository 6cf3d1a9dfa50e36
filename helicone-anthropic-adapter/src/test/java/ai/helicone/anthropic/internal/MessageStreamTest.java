package ai.helicone.anthropic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.anthropic.Fixtures;
import ai.helicone.internal.parse.SseParser;
import ai.helicone.record.Usage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every stream fixture, fed in every possible split and with every line ending. */
class MessageStreamTest {

  /** What a parse yields, comparable. */
  record Outcome(
      String id,
      String model,
      Usage usage,
      String stopReason,
      String error,
      boolean completed,
      String body,
      long firstContentOffset) {
    Outcome withoutOffset() {
      return new Outcome(id, model, usage, stopReason, error, completed, body, 0);
    }
  }

  private static Outcome parse(byte[] bytes, int... cuts) {
    return parse(false, bytes, cuts);
  }

  private static Outcome parse(boolean summaryOnly, byte[] bytes, int... cuts) {
    MessageStream events = new MessageStream(summaryOnly);
    SseParser p = new SseParser(events);
    int from = 0;
    for (int cut : cuts) {
      p.feed(bytes, from, cut - from);
      from = cut;
    }
    p.feed(bytes, from, bytes.length - from);
    p.finish();
    return new Outcome(
        events.id(),
        events.model(),
        events.usage(),
        events.stopReason(),
        events.error() == null ? null : events.error().toString(),
        events.completed(),
        summaryOnly ? null : events.toResponseBody().toString(),
        events.firstContentOffset());
  }

  @Test
  void theSummaryThatSkipsContentDeltasKeepsEveryFieldOfTheRecord() {
    for (String name : Fixtures.STREAMS) {
      byte[] bytes = Fixtures.bytes(name);
      Outcome whole = parse(bytes);
      Outcome expected =
          new Outcome(
              whole.id(),
              whole.model(),
              whole.usage(),
              whole.stopReason(),
              whole.error(),
              whole.completed(),
              null,
              whole.firstContentOffset());
      for (int cut = 0; cut <= bytes.length; cut++) {
        assertThat(parse(true, bytes, cut)).as("%s cut at %d", name, cut).isEqualTo(expected);
      }
    }
  }

  @Test
  void everyFixtureGivesTheSameResultWhereverItIsSplitAndWhateverItsLineEndings() {
    for (String name : Fixtures.STREAMS) {
      byte[] bytes = Fixtures.bytes(name);
      Outcome whole = parse(bytes);
      assertThat(whole.model()).as(name).isNotNull();
      assertThat(whole.firstContentOffset()).as(name).isPositive();
      for (int cut = 0; cut <= bytes.length; cut++) {
        assertThat(parse(bytes, cut)).as("%s cut at %d", name, cut).isEqualTo(whole);
      }
      int[] everyByte = new int[bytes.length];
      for (int i = 0; i < bytes.length; i++) {
        everyByte[i] = i;
      }
      assertThat(parse(bytes, everyByte)).as("%s byte by byte", name).isEqualTo(whole);
      for (String ending : new String[] {"\r\n", "\r"}) {
        byte[] converted =
            new String(bytes, StandardCharsets.UTF_8)
                .replace("\n", ending)
                .getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= converted.length; cut++) {
          assertThat(parse(converted, cut).withoutOffset())
              .as("%s with %s cut at %d", name, ending.replace("\r", "CR").replace("\n", "LF"), cut)
              .isEqualTo(whole.withoutOffset());
        }
      }
    }
  }

  @Test
  void theFirstContentOffsetIsWhereTheFirstDeltaIsComplete() {
    byte[] bytes = Fixtures.bytes("messages-stream.sse");
    String text = Fixtures.text("messages-stream.sse");
    int delta = text.indexOf("data: {\"type\":\"content_block_delta\"");
    int lineEnd = text.indexOf('\n', delta);
    assertThat(parse(bytes).firstContentOffset()).isEqualTo(lineEnd);
  }

  @Test
  void laterUsageReplacesEarlierCountsAndKeepsTheOthers() {
    String stream =
        "data: {\"type\":\"message_start\",\"message\":{\"model\":\"m\",\"usage\":"
            + "{\"input_tokens\":10,\"cache_read_input_tokens\":5,\"output_tokens\":1}}}\n\n"
            + "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},"
            + "\"usage\":{\"output_tokens\":7,\"cache_creation_input_tokens\":null}}\n\n"
            + "data: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":9}}\n\n";
    Outcome o = parse(stream.getBytes(StandardCharsets.UTF_8));
    assertThat(o.usage())
        .isEqualTo(Usage.builder().inputTokens(15L).cachedInputTokens(5L).outputTokens(9L).build());
    assertThat(o.stopReason()).isEqualTo("max_tokens");
    assertThat(o.completed()).isFalse();
    assertThat(o.firstContentOffset()).isEqualTo(-1);
  }

  @Test
  void cacheWritesFromTheSplitAloneAreSummed() {
    String stream =
        "data: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":10,"
            + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":3,"
            + "\"ephemeral_1h_input_tokens\":4}}}}\n\n";
    assertThat(parse(stream.getBytes(StandardCharsets.UTF_8)).usage())
        .isEqualTo(
            Usage.builder().inputTokens(17L).cacheWriteTokens(7L).cacheWrite1hTokens(4L).build());
  }
}
