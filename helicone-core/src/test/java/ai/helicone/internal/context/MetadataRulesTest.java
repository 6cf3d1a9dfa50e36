package ai.helicone.internal.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MetadataRulesTest {
  @Test
  void newRequestIdsAreDistinctVersion4Uuids() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = MetadataRules.newRequestId();
      UUID uuid = UUID.fromString(id);
      assertThat(uuid.version()).isEqualTo(4);
      assertThat(uuid.variant()).isEqualTo(2); // RFC 4122
      assertThat(MetadataRules.isRequestId(id)).isTrue();
      assertThat(id).isEqualTo(uuid.toString());
      ids.add(id);
    }
    assertThat(ids).hasSize(10_000);
  }
}
