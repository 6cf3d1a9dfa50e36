package ai.helicone.internal.instrument;

import ai.helicone.internal.record.FrozenMap;
import java.util.Map;

/**
 * The metadata of one captured call, fixed when the call starts: the ambient context where the call
 * was created, overridden by the request's own {@code Helicone-*} headers. Immutable.
 *
 * @param requestId the call's request id, a UUID; also the record id
 * @param properties custom properties, unmodifiable
 * @param contextAttributes values of the context capturers, unmodifiable
 */
public record CallMetadata(
    String requestId,
    String userId,
    Map<String, String> properties,
    String sessionId,
    String sessionPath,
    String sessionName,
    boolean omitRequest,
    boolean omitResponse,
    Map<String, String> contextAttributes) {

  public CallMetadata {
    properties = FrozenMap.copyOf(properties);
    contextAttributes = FrozenMap.copyOf(contextAttributes);
  }
}
