package ai.helicone;

import ai.helicone.internal.context.ContextSnapshot;
import ai.helicone.internal.context.ContextStorage;
import ai.helicone.internal.context.MetadataRules;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Describes metadata to attach to the current thread: calls made through an instrumented client and
 * traces started while the returned {@link HeliconeScope} is open carry it. Values not set here are
 * inherited from the context already in effect; properties are added to the inherited ones.
 *
 * <pre>{@code
 * try (HeliconeScope scope = helicone.context()
 *     .userId("user-123")
 *     .property("Environment", "production")
 *     .attach();
 *     Response response = client.newCall(request).execute()) {
 *   String answer = response.body().string();
 * }
 * }</pre>
 *
 * <p>Every setter checks its argument at once and throws {@link IllegalArgumentException} for a
 * value Helicone cannot accept. Not thread-safe; the scope it attaches belongs to the attaching
 * thread.
 */
public final class ContextBuilder {
  private final Helicone helicone;
  private String userId;
  private final Map<String, String> properties = new LinkedHashMap<>();
  private String sessionId;
  private String sessionPath;
  private String sessionName;
  private String requestId;
  private boolean omitRequest;
  private boolean omitResponse;

  ContextBuilder(Helicone helicone) {
    this.helicone = helicone;
  }

  /** The end user the calls are made for ({@code Helicone-User-Id}). */
  public ContextBuilder userId(String userId) {
    this.userId = MetadataRules.requireText("userId", userId);
    return this;
  }

  /**
   * A custom property ({@code Helicone-Property-<name>}); replaces an inherited one of that name.
   */
  public ContextBuilder property(String name, String value) {
    MetadataRules.requireProperty(name, value);
    properties.put(name, value);
    return this;
  }

  /** Several custom properties, in the map's iteration order. */
  public ContextBuilder properties(Map<String, String> properties) {
    Objects.requireNonNull(properties, "properties");
    properties.forEach(this::property);
    return this;
  }

  /**
   * The Helicone request id of the call made in this scope. Make one call per scope with it: every
   * call in the scope gets this id. It must be a UUID (versions 1 to 5); a call without one gets a
   * random id.
   */
  public ContextBuilder requestId(String requestId) {
    this.requestId = MetadataRules.requireRequestId(requestId);
    return this;
  }

  /** The Helicone request id, see {@link #requestId(String)}. */
  public ContextBuilder requestId(UUID requestId) {
    Objects.requireNonNull(requestId, "requestId");
    return requestId(requestId.toString());
  }

  /** The session the calls belong to; {@link Helicone#session(String)} is usually simpler. */
  public ContextBuilder sessionId(String sessionId) {
    this.sessionId = MetadataRules.requireText("sessionId", sessionId);
    return this;
  }

  /** The position in the session, such as {@code /research/analysis}. */
  public ContextBuilder sessionPath(String sessionPath) {
    this.sessionPath = MetadataRules.requireText("sessionPath", sessionPath);
    return this;
  }

  /** The session's name; keep it the same for every call of a session. */
  public ContextBuilder sessionName(String sessionName) {
    this.sessionName = MetadataRules.requireText("sessionName", sessionName);
    return this;
  }

  /** Leaves request bodies (and trace inputs) out of the records. */
  public ContextBuilder omitRequest() {
    this.omitRequest = true;
    return this;
  }

  /** Leaves response bodies (and trace outputs) out of the records. */
  public ContextBuilder omitResponse() {
    this.omitResponse = true;
    return this;
  }

  /** Attaches the metadata to the current thread until the returned scope is closed. */
  public HeliconeScope attach() {
    ContextSnapshot.Builder b = ContextStorage.current().toBuilder().properties(properties);
    if (userId != null) {
      b.userId(userId);
    }
    b.session(sessionId, sessionName);
    if (sessionPath != null) {
      b.sessionPath(sessionPath);
    }
    if (requestId != null) {
      b.requestId(requestId);
    }
    if (omitRequest) {
      b.omitRequest(true);
    }
    if (omitResponse) {
      b.omitResponse(true);
    }
    return ContextStorage.attach(b.build(), helicone.diagnostics());
  }
}
