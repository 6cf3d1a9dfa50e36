package ai.helicone.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.internal.parse.SseParser;
import ai.helicone.openai.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared SSE parser on every OpenAI-format stream fixture. */
class SseFixturesTest {

  record Event(String name, String data, long dataEndOffset) {}

  private static List<Event> parse(byte[] bytes, int... cuts) {
    List<Event> events = new ArrayList<>();
    SseParser p =
        new SseParser(
            (event, data, length, end) ->
                events.add(
                    new Event(event, new String(data, 0, length, StandardCharsets.UTF_8), end)));
    int from = 0;
    for (int cut : cuts) {
      p.feed(bytes, from, cut - from);
      from = cut;
    }
    p.feed(bytes, from, bytes.length - from);
    p.finish();
    return events;
  }

  @Test
  void everyFixtureGivesTheSameEventsWhereverItIsSplit() {
    for (String name : Fixtures.STREAMS) {
      byte[] bytes = Fixtures.bytes(name);
      List<Event> whole = parse(bytes);
      assertThat(whole).as(name).isNotEmpty();
      for (int cut = 0; cut <= bytes.length; cut++) {
        assertThat(parse(bytes, cut)).as("%s cut at %d", name, cut).isEqualTo(whole);
      }
      int[] everyByte = new int[bytes.length];
      for (int i = 0; i < bytes.length; i++) {
        everyByte[i] = i;
      }
      assertThat(parse(bytes, everyByte)).as("%s byte by byte", name).isEqualTo(whole);
      List<Event> namesAndData = withoutOffsets(whole);
      for (String ending : new String[] {"\r\n", "\r"}) {
        byte[] converted =
            new String(bytes, StandardCharsets.UTF_8)
                .replace("\n", ending)
                .getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= converted.length; cut++) {
          assertThat(withoutOffsets(parse(converted, cut)))
              .as("%s with %s cut at %d", name, ending.replace("\r", "CR").replace("\n", "LF"), cut)
              .isEqualTo(namesAndData);
        }
      }
    }
  }

  private static List<Event> withoutOffsets(List<Event> events) {
    return events.stream().map(e -> new Event(e.name(), e.data(), 0)).toList();
  }
}
