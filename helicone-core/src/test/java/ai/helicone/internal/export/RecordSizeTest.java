package ai.helicone.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.export.TestRecords;
import ai.helicone.internal.parse.Json;
import ai.helicone.internal.record.Bodies;
import ai.helicone.internal.record.ByteChunks;
import ai.helicone.internal.record.RawBodies;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.CapturedResponse;
import ai.helicone.record.HeliconeRecord;
import com.fasterxml.jackson.core.JsonParser;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordSizeTest {
  @Test
  void aBodyHeldAsBytesCountsAsItsTextWouldWithoutBeingDecoded() throws Exception {
    String json = "{\"id\":\"chatcmpl-1\",\"choices\":[]}";
    ByteChunks bytes = ByteChunks.of(json.getBytes(StandardCharsets.UTF_8));
    InputStream in = bytes.inputStream();
    try (JsonParser p = Json.FACTORY.createParser(in)) {
      p.nextToken();
      p.skipChildren();
      Json.noteWholeValue(p, in);
    }
    CapturedBody held = Bodies.of(bytes, "application/json", false);
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
