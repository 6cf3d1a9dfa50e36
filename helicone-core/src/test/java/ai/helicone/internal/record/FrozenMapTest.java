package ai.helicone.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrozenMapTest {

  @Test
  void aCopyKeepsTheOrderAndNoLongerFollowsItsSource() {
    Map<String, String> source = new LinkedHashMap<>();
    source.put("b", "2");
    source.put("a", "1");
    Map<String, String> frozen = FrozenMap.copyOf(source);
    source.put("c", "3");
    assertThat(frozen).containsExactly(Map.entry("b", "2"), Map.entry("a", "1"));
    assertThatThrownBy(() -> frozen.put("d", "4"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> frozen.entrySet().iterator().next().setValue("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aFrozenMapIsSharedNotCopiedAgain() {
    Map<String, String> frozen = FrozenMap.copyOf(Map.of("k", "v"));
    assertThat(FrozenMap.copyOf(frozen)).isSameAs(frozen);
    assertThat(FrozenMap.copyOf(new LinkedHashMap<String, String>())).isEmpty();
  }

  @Test
  void recordsShareTheFrozenMapsTheyAreGivenAndCopyTheOthers() {
    Map<String, String> frozen = FrozenMap.copyOf(Map.of("team", "search"));
    Map<String, String> plain = new LinkedHashMap<>(Map.of("env", "prod"));
    HeliconeRecord record = base().properties(frozen).contextAttributes(plain).build();
    plain.put("region", "eu");
    assertThat(record.properties()).isSameAs(frozen);
    assertThat(record.contextAttributes()).containsExactly(Map.entry("env", "prod"));
  }

  @Test
  void aPropertyAddedToAGivenMapLeavesThatMapAlone() {
    Map<String, String> given = FrozenMap.copyOf(Map.of("team", "search"));
    HeliconeRecord.Builder builder = base().properties(given).property("env", "prod");
    HeliconeRecord first = builder.build();
    HeliconeRecord second = builder.property("region", "eu").build();
    assertThat(given).containsExactly(Map.entry("team", "search"));
    assertThat(first.properties())
        .containsExactly(Map.entry("team", "search"), Map.entry("env", "prod"));
    assertThat(second.properties())
        .containsExactly(
            Map.entry("team", "search"), Map.entry("env", "prod"), Map.entry("region", "eu"));
  }

  private static HeliconeRecord.Builder base() {
    Instant now = Instant.parse("2026-12-01T08:00:00Z");
    return HeliconeRecord.builder().type(RecordType.TRACE).id("t").startTime(now).endTime(now);
  }
}
