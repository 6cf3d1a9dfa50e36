package ai.helicone.internal.context;

import ai.helicone.internal.record.FrozenMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Helicone metadata in effect on a thread at one moment: user, properties, session, request id
 * and privacy flags. Every change makes a new snapshot, so a snapshot can be handed to other
 * threads freely. Immutable and thread-safe.
 */
public final class ContextSnapshot {
  public static final ContextSnapshot EMPTY =
      new ContextSnapshot(null, Map.of(), null, null, null, null, false, false);

  private final String userId;
  private final Map<String, String> properties;
  private final String sessionId;
  private final String sessionPath;
  private final String sessionName;
  private final String requestId;
  private final boolean omitRequest;
  private final boolean omitResponse;

  private ContextSnapshot(
      String userId,
      Map<String, String> properties,
      String sessionId,
      String sessionPath,
      String sessionName,
      String requestId,
      boolean omitRequest,
      boolean omitResponse) {
    this.userId = userId;
    this.properties = properties;
    this.sessionId = sessionId;
    this.sessionPath = sessionPath;
    this.sessionName = sessionName;
    this.requestId = requestId;
    this.omitRequest = omitRequest;
    this.omitResponse = omitResponse;
  }

  public String userId() {
    return userId;
  }

  /** Properties in the order they were first set; unmodifiable. */
  public Map<String, String> properties() {
    return properties;
  }

  public String sessionId() {
    return sessionId;
  }

  public String sessionPath() {
    return sessionPath;
  }

  public String sessionName() {
    return sessionName;
  }

  public String requestId() {
    return requestId;
  }

  public boolean omitRequest() {
    return omitRequest;
  }

  public boolean omitResponse() {
    return omitResponse;
  }

  /** A builder that starts from this snapshot's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  @Override
  public String toString() {
    return "ContextSnapshot{user="
        + userId
        + ", session="
        + sessionId
        + ", path="
        + sessionPath
        + ", properties="
        + properties.keySet()
        + '}';
  }

  /** Derives a snapshot from another one; values are assumed to be validated already. */
  public static final class Builder {
    private String userId;
    private final Map<String, String> properties;
    private String sessionId;
    private String sessionPath;
    private String sessionName;
    private String requestId;
    private boolean omitRequest;
    private boolean omitResponse;

    private Builder(ContextSnapshot base) {
      this.userId = base.userId;
      this.properties = new LinkedHashMap<>(base.properties);
      this.sessionId = base.sessionId;
      this.sessionPath = base.sessionPath;
      this.sessionName = base.sessionName;
      this.requestId = base.requestId;
      this.omitRequest = base.omitRequest;
      this.omitResponse = base.omitResponse;
    }

    public Builder userId(String v) {
      this.userId = v;
      return this;
    }

    /** Adds or replaces properties; earlier ones keep their position. */
    public Builder properties(Map<String, String> v) {
      this.properties.putAll(v);
      return this;
    }

    /**
     * Switches to another session. A different session id starts without the previous session's
     * path and name, so that a nested session never reports its parent's path.
     */
    public Builder session(String id, String name) {
      if (id != null && !id.equals(this.sessionId)) {
        this.sessionPath = null;
        this.sessionName = null;
      }
      if (id != null) {
        this.sessionId = id;
      }
      if (name != null) {
        this.sessionName = name;
      }
      return this;
    }

    public Builder sessionPath(String v) {
      this.sessionPath = v;
      return this;
    }

    public Builder requestId(String v) {
      this.requestId = v;
      return this;
    }

    public Builder omitRequest(boolean v) {
      this.omitRequest = v;
      return this;
    }

    public Builder omitResponse(boolean v) {
      this.omitResponse = v;
      return this;
    }

    public ContextSnapshot build() {
      return new ContextSnapshot(
          userId,
          FrozenMap.copyOf(properties),
          sessionId,
          sessionPath,
          sessionName,
          requestId,
          omitRequest,
          omitResponse);
    }
  }
}
