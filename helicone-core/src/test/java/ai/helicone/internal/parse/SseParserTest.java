package ai.helicone.internal.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

  record Event(String name, String data, long dataEndOffset) {}

  private static final class Collector implements SseParser.Listener {
    final List<Event> events = new ArrayList<>();

    @Override
    public void onEvent(String event, byte[] data, int length, long dataEndOffset) {
      events.add(
          new Event(event, new String(data, 0, length, StandardCharsets.UTF_8), dataEndOffset));
    }
  }

  private static List<Event> parse(byte[] bytes, int... cuts) {
    Collector c = new Collector();
    SseParser p = new SseParser(c);
    int from = 0;
    for (int cut : cuts) {
      p.feed(bytes, from, cut - from);
      from = cut;
    }
    p.feed(bytes, from, bytes.length - from);
    p.finish();
    return c.events;
  }

  private static List<Event> parse(String text) {
    return parse(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void dataLinesEventNamesAndComments() {
    String text =
        ": OPENROUTER PROCESSING\n\n"
            + "event: response.created\ndata: {\"a\":1}\n\n"
            + "data:no-space\n\n"
            + "data: line one\ndata: line two\n\n"
            + "id: 7\nretry: 100\ndata: x\n\n"
            + "data: [DONE]\n\n";
    assertThat(parse(text))
        .extracting(Event::name, Event::data)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("response.created", "{\"a\":1}"),
            org.assertj.core.groups.Tuple.tuple(null, "no-space"),
            org.assertj.core.groups.Tuple.tuple(null, "line one\nline two"),
            org.assertj.core.groups.Tuple.tuple(null, "x"),
            org.assertj.core.groups.Tuple.tuple(null, "[DONE]"));
  }

  @Test
  void feedAllReadsAStreamToItsEndAndRepeatedNamesAreOneString() throws Exception {
    Collector c = new Collector();
    new SseParser(c)
        .feedAll(
            new java.io.ByteArrayInputStream(
                "event: delta\ndata: a\n\nevent: delta\ndata: b\n\nevent: stop\ndata: c"
                    .getBytes(StandardCharsets.UTF_8)));
    assertThat(c.events)
        .containsExactly(
            new Event("delta", "a", 20), new Event("delta", "b", 42), new Event("stop", "c", 62));
    assertThat(c.events.get(1).name()).isSameAs(c.events.get(0).name());
  }

  @Test
  void aListenerThatIgnoresNamesGetsNone() {
    List<Event> events = new ArrayList<>();
    SseParser p =
        new SseParser(
            new SseParser.Listener() {
              @Override
              public void onEvent(String event, byte[] data, int length, long dataEndOffset) {
                events.add(new Event(event, new String(data, 0, length), dataEndOffset));
              }

              @Override
              public boolean readsEventNames() {
                return false;
              }
            });
    byte[] bytes = "event: delta\ndata: a\n\n".getBytes(StandardCharsets.UTF_8);
    p.feed(bytes, 0, bytes.length);
    p.finish();
    assertThat(events).containsExactly(new Event(null, "a", 20));
  }

  @Test
  void eventsWithoutDataAreDroppedAndNamesDoNotLeak() {
    assertThat(parse("event: ping\n\ndata: a\n\n")).containsExactly(new Event(null, "a", 20));
  }

  @Test
  void offsetsPointAtTheLineBreakEndingTheLastDataLine() {
    String text = "data: ab\n\ndata: c\ndata: d\n\n";
    List<Event> events = parse(text);
    assertThat(events.get(0).dataEndOffset()).isEqualTo(text.indexOf('\n'));
    assertThat(events.get(1).dataEndOffset()).isEqualTo(text.lastIndexOf("d\n") + 1);
  }

  @Test
  void allLineEndingsAreEquivalent() {
    String lf = "data: {\"x\":1}\n\nevent: e\ndata: a\ndata: b\n\n: c\n\ndata: [DONE]\n\n";
    List<Event> expected = parse(lf);
    for (String ending : new String[] {"\r\n", "\r"}) {
      List<Event> actual = parse(lf.replace("\n", ending));
      assertThat(actual)
          .extracting(Event::name)
          .isEqualTo(expected.stream().map(Event::name).toList());
      assertThat(actual)
          .extracting(Event::data)
          .isEqualTo(expected.stream().map(Event::data).toList());
    }
  }

  @Test
  void aCarriageReturnAtTheEndOfOneReadAndALineFeedAtTheStartOfTheNext() {
    byte[] bytes = "data: a\r\n\r\ndata: b\r\n\r\n".getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= bytes.length; cut++) {
      assertThat(parse(bytes, cut))
          .extracting(Event::data)
          .as("cut at %d", cut)
          .containsExactly("a", "b");
    }
  }

  @Test
  void aStreamCutBeforeItsBlankLineStillDeliversTheLastEvent() {
    assertThat(parse("data: a\n\ndata: b\n")).extracting(Event::data).containsExactly("a", "b");
    assertThat(parse("data: a\n\ndata: {\"par"))
        .extracting(Event::data)
        .containsExactly("a", "{\"par");
    assertThat(parse("")).isEmpty();
  }

  @Test
  void longLinesGrowTheBuffers() {
    String big = "x".repeat(100_000);
    byte[] bytes = ("data: " + big + "\ndata: " + big + "\n\n").getBytes(StandardCharsets.UTF_8);
    assertThat(parse(bytes, 3, 5000, 150_000))
        .extracting(Event::data)
        .containsExactly(big + "\n" + big);
  }

  /**
   * Takes an event whose single data line is {@code data: take-N} (then a blank line) from the fed
   * bytes, recording it with its data end offset, and notes where it was asked.
   */
  private static final class Taker implements SseParser.Listener {
    final List<Event> events = new ArrayList<>();
    final List<Long> askedAt = new ArrayList<>();

    @Override
    public void onEvent(String event, byte[] data, int length, long dataEndOffset) {
      events.add(
          new Event(event, new String(data, 0, length, StandardCharsets.UTF_8), dataEndOffset));
    }

    @Override
    public int takeEvent(byte[] buf, int from, int end, long offset) {
      askedAt.add(offset);
      byte[] prefix = "data: take-".getBytes(StandardCharsets.US_ASCII);
      if (!Bytes.startsWith(buf, from, end, prefix)) {
        return 0;
      }
      int i = from + prefix.length;
      while (i < end && buf[i] >= '0' && buf[i] <= '9') {
        i++;
      }
      if (i + 2 > end || buf[i] != '\n' || buf[i + 1] != '\n') {
        return 0;
      }
      String data = new String(buf, from + 6, i - from - 6, StandardCharsets.US_ASCII);
      events.add(new Event("taken", data, offset + (i - from)));
      return i + 2 - from;
    }
  }

  @Test
  void aListenerMayTakeWholeEventsFromTheFedBytes() {
    String text =
        "data: take-1\n\n"
            + "event: named\ndata: take-2\n\n"
            + "data: take-3\n\n"
            + "data: a\ndata: take-4\n\n"
            + "data: take-5\r\n\r\n"
            + "data: take-6\n\n";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<Event> reference = parse(bytes);
    for (int piece = 1; piece <= bytes.length; piece++) {
      Taker taker = new Taker();
      SseParser p = new SseParser(taker);
      for (int at = 0; at < bytes.length; at += piece) {
        p.feed(bytes, at, Math.min(piece, bytes.length - at));
      }
      p.finish();
      // Taken or parsed, each event keeps its data and where its data ended.
      assertThat(taker.events)
          .extracting(Event::data, Event::dataEndOffset)
          .as("pieces of %d", piece)
          .containsExactlyElementsOf(
              reference.stream()
                  .map(e -> org.assertj.core.groups.Tuple.tuple(e.data(), e.dataEndOffset()))
                  .toList());
      // Asked only where a line starts with no event pending: never after an event name, never in
      // the middle of a data line or between two data lines of one event.
      long secondEvent = text.indexOf("event: named");
      assertThat(taker.askedAt)
          .as("pieces of %d", piece)
          .contains(0L, secondEvent)
          .doesNotContain(
              secondEvent + "event: named\n".length(),
              (long) text.indexOf("data: take-4"),
              (long) text.indexOf("take-1"));
      if (piece == bytes.length) {
        assertThat(taker.events)
            .extracting(Event::name)
            .containsExactly("taken", "named", "taken", null, null, "taken");
      }
    }
  }
}
