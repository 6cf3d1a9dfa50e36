package ai.helicone.gemini.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.gemini.Fixtures;
import ai.helicone.internal.parse.SseParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Every stream fixture, in both forms, gives the same result wherever its bytes are split and
 * whichever line endings it uses.
 */
class StreamSplitTest {

  /** What a parse yields, comparable with equals. */
  record Summary(
      String model,
      String responseId,
      String usage,
      String error,
      List<String> finishReasons,
      boolean completed,
      String body,
      long firstContentOffset,
      int objects) {
    Summary withoutOffsets() {
      return new Summary(
          model, responseId, usage, error, finishReasons, completed, body, 0, objects);
    }
  }

  private static Summary summary(GenerateResponses r) {
    return new Summary(
        r.modelVersion(),
        r.responseId(),
        r.usageMetadata(),
        Objects.toString(r.error()),
        r.finishReasons(),
        r.completed(),
        r.toResponseBody().toString(),
        r.firstContentOffset(),
        r.objects());
  }

  /** Feeds {@code bytes} in pieces ending at each of {@code cuts}, then the rest. */
  static Summary sse(byte[] bytes, int... cuts) {
    GenerateResponses r = new GenerateResponses(true);
    SseParser parser = new SseParser((e, data, len, end) -> r.read(data, 0, len, end, true));
    feed(bytes, cuts, parser::feed);
    parser.finish();
    return summary(r);
  }

  static Summary json(byte[] bytes, int... cuts) {
    GenerateResponses r = new GenerateResponses(true);
    JsonArraySplitter splitter = new JsonArraySplitter(r::read);
    feed(bytes, cuts, splitter::feed);
    splitter.finish();
    return summary(r);
  }

  private interface Sink {
    void feed(byte[] buf, int off, int len);
  }

  private static void feed(byte[] bytes, int[] cuts, Sink sink) {
    int from = 0;
    for (int cut : cuts) {
      // Each piece in its own array, as separate reads would deliver it.
      byte[] piece = new byte[cut - from];
      System.arraycopy(bytes, from, piece, 0, piece.length);
      sink.feed(piece, 0, piece.length);
      from = cut;
    }
    byte[] rest = new byte[bytes.length - from];
    System.arraycopy(bytes, from, rest, 0, rest.length);
    sink.feed(rest, 0, rest.length);
  }

  private interface Parse {
    Summary run(byte[] bytes, int... cuts);
  }

  @Test
  void everySseFixtureGivesTheSameResultWhereverItIsSplit() {
    for (String name : Fixtures.SSE_STREAMS) {
      check(name, StreamSplitTest::sse);
    }
  }

  @Test
  void everyJsonArrayFixtureGivesTheSameResultWhereverItIsSplit() {
    for (String name : Fixtures.JSON_STREAMS) {
      check(name, StreamSplitTest::json);
    }
  }

  private static void check(String name, Parse parse) {
    byte[] bytes = Fixtures.bytes(name);
    Summary whole = parse.run(bytes);
    assertThat(whole.objects()).as(name).isPositive();
    for (int cut = 0; cut <= bytes.length; cut++) {
      assertThat(parse.run(bytes, cut)).as("%s cut at %d", name, cut).isEqualTo(whole);
    }
    assertThat(parse.run(bytes, everyByte(bytes.length)))
        .as("%s byte by byte", name)
        .isEqualTo(whole);
    String text = new String(bytes, StandardCharsets.UTF_8);
    // The fixtures mix line endings (Google ends SSE lines with CRLF); normalise to LF first.
    String lf = text.replace("\r\n", "\n");
    for (String ending : new String[] {"\n", "\r\n", "\r"}) {
      byte[] converted = lf.replace("\n", ending).getBytes(StandardCharsets.UTF_8);
      Summary expected = whole.withoutOffsets();
      String label = ending.replace("\r", "CR").replace("\n", "LF");
      assertThat(parse.run(converted).withoutOffsets())
          .as("%s with %s", name, label)
          .isEqualTo(expected);
      // LF is the common case, cut everywhere above when the fixture uses it.
      for (int cut = 0; !ending.equals("\n") && cut <= converted.length; cut++) {
        assertThat(parse.run(converted, cut).withoutOffsets())
            .as("%s with %s cut at %d", name, label, cut)
            .isEqualTo(expected);
      }
      assertThat(parse.run(converted, everyByte(converted.length)).withoutOffsets())
          .as("%s with %s byte by byte", name, label)
          .isEqualTo(expected);
    }
  }

  private static int[] everyByte(int length) {
    int[] cuts = new int[Math.max(0, length - 1)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i + 1;
    }
    return cuts;
  }

  @Test
  void firstContentOffsetIsTheEndOfTheFirstChunkWithContent() {
    byte[] sse = Fixtures.bytes("stream-thinking.sse");
    String text = new String(sse, StandardCharsets.UTF_8);
    int secondEvent = text.indexOf("data: ", 1);
    int secondEventDataEnd = text.indexOf('\n', secondEvent);
    assertThat(sse(sse).firstContentOffset()).isEqualTo(secondEventDataEnd);

    byte[] array = Fixtures.bytes("stream.json");
    String arrayText = new String(array, StandardCharsets.UTF_8);
    assertThat(json(array).firstContentOffset()).isEqualTo(arrayText.indexOf("}\n,"));
  }

  @Test
  void theSplitterFindsElementsInsideTrickyStrings() {
    List<String> elements = new ArrayList<>();
    JsonArraySplitter splitter =
        new JsonArraySplitter(
            (buf, off, len, end, complete) ->
                elements.add(
                    new String(buf, off, len, StandardCharsets.UTF_8) + (complete ? "" : "…")));
    byte[] bytes =
        " \n[ {\"a\":\"}]\\\"{[\"} ,\r\n{\"b\":[1,{\"c\":\"\\\\\"}]}\n, [2] ] trailing {\"x\":1}"
            .getBytes(StandardCharsets.UTF_8);
    splitter.feed(bytes, 0, bytes.length);
    splitter.finish();
    assertThat(elements)
        .containsExactly("{\"a\":\"}]\\\"{[\"}", "{\"b\":[1,{\"c\":\"\\\\\"}]}", "[2]");

    elements.clear();
    JsonArraySplitter cut =
        new JsonArraySplitter(
            (buf, off, len, end, complete) ->
                elements.add(
                    new String(buf, off, len, StandardCharsets.UTF_8) + (complete ? "" : "…")));
    byte[] partial = "[{\"a\":1},{\"b\":\"x".getBytes(StandardCharsets.UTF_8);
    cut.feed(partial, 0, partial.length);
    cut.finish();
    assertThat(elements).containsExactly("{\"a\":1}", "{\"b\":\"x…");
    assertThat(cut.offset()).isEqualTo(partial.length);
  }
}
