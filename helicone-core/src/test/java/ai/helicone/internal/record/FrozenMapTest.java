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

  @Test
  void smallAndLargeMapsFindEveryKeyAndNoOther() {
    for (int n : new int[] {1, 16, 17, 40}) {
      Map<String, Integer> source = new LinkedHashMap<>();
      for (int i = n - 1; i >= 0; i--) {
        source.put("k" + i, i);
      }
      Map<String, Integer> frozen = FrozenMap.copyOf(source);
      assertThat(frozen).isEqualTo(source).hasSameHashCodeAs(source);
      assertThat(frozen.keySet()).containsExactlyElementsOf(source.keySet());
      for (int i = 0; i < n; i++) {
        assertThat(frozen.get("k" + i)).isEqualTo(i);
        assertThat(frozen.containsKey(new String("k" + i))).isTrue();
      }
      assertThat(frozen.get("k" + n)).isNull();
      assertThat(frozen.containsKey("k" + n)).isFalse();
      assertThat(frozen.get(null)).isNull();
      assertThat(frozen.get(7)).isNull();
    }
  }

  @Test
  void entriesByPositionFollowTheOrderAndStopAtTheEnd() {
    Map<String, String> source = new LinkedHashMap<>();
    source.put("b", "2");
    source.put("a", null);
    FrozenMap<String> frozen = (FrozenMap<String>) FrozenMap.copyOf(source);
    assertThat(frozen.keyAt(0)).isEqualTo("b");
    assertThat(frozen.valueAt(0)).isEqualTo("2");
    assertThat(frozen.keyAt(1)).isEqualTo("a");
    assertThat(frozen.valueAt(1)).isNull();
    assertThat(frozen.containsKey("a")).isTrue();
    assertThatThrownBy(() -> frozen.keyAt(2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> frozen.valueAt(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    StringBuilder seen = new StringBuilder();
    frozen.forEach((k, v) -> seen.append(k).append('=').append(v).append(';'));
    assertThat(seen).hasToString("b=2;a=null;");
    assertThat(frozen).hasToString("{b=2, a=null}");
    java.util.Iterator<Map.Entry<String, String>> it = frozen.entrySet().iterator();
    it.next();
    it.next();
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(java.util.NoSuchElementException.class);
    assertThatThrownBy(it::remove).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> frozen.remove("a")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(frozen::clear).isInstanceOf(UnsupportedOperationException.class);
  }

  private static HeliconeRecord.Builder base() {
    Instant now = Instant.parse("2026-12-01T08:00:00Z");
    return HeliconeRecord.builder().type(RecordType.TRACE).id("t").startTime(now).endTime(now);
  }
}
