package ai.helicone.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.export.TestRecords;
import ai.helicone.internal.record.Bodies;
import ai.helicone.internal.record.ByteChunks;
import ai.helicone.internal.record.KnownJson;
import ai.helicone.internal.record.RawBodies;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.CapturedResponse;
import ai.helicone.record.HeliconeRecord;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordSizeTest {
  @Test
  void aBodyHeldAsBytesCountsAsItsTextWouldWithoutBeingDecoded() throws Exception {
    String json = "{\"id\":\"chatcmpl-1\",\"choices\":[]}";
    ByteChunks bytes = KnownJson.read(json.getBytes(StandardCharsets.UTF_8));
    CapturedBody held = Bodies.of(bytes, true, false);
    assertThat(RawBodies.undecodedBytes(held)).isNotNull();

    HeliconeRecord base = TestRecords.llm(null, null);
    CapturedResponse r = base.response();
    HeliconeRecord withBytes =
        base.toBuilder()
            .response(new CapturedResponse(r.status(), r.headers(), held, null, false, false))
            .build();
    HeliconeRecord withText =
        base.toBuilder()
            .response(
                new CapturedResponse(
                    r.status(), r.headers(), CapturedBody.json(json), null, false, false))
            .build();

    assertThat(RecordSize.of(withBytes)).isEqualTo(RecordSize.of(withText));
    assertThat(RawBodies.undecodedBytes(held)).isSameAs(bytes);
  }
}
