package ai.helicone;

import ai.helicone.internal.context.MetadataRules;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Describes a session to start: a named group of calls and traces, such as one run of an agent. Not
 * thread-safe.
 */
public final class SessionBuilder {
  private final Helicone helicone;
  private final String name;
  private String id;
  private String userId;
  private final Map<String, String> properties = new LinkedHashMap<>();

  SessionBuilder(Helicone helicone, String name) {
    this.helicone = helicone;
    this.name = MetadataRules.requireText("session name", name);
  }

  /** The session id; a random UUID when not set. Reuse an id to continue an earlier session. */
  public SessionBuilder id(String id) {
    this.id = MetadataRules.requireText("session id", id);
    return this;
  }

  /** The end user of the session's calls. */
  public SessionBuilder userId(String userId) {
    this.userId = MetadataRules.requireText("userId", userId);
    return this;
  }

  /** A custom property carried by every call and trace of the session. */
  public SessionBuilder property(String name, String value) {
    MetadataRules.requireProperty(name, value);
    properties.put(name, value);
    return this;
  }

  /** Several custom properties, in the map's iteration order. */
  public SessionBuilder properties(Map<String, String> properties) {
    Objects.requireNonNull(properties, "properties");
    properties.forEach(this::property);
    return this;
  }

  /**
   * Starts the session and attaches it to the current thread until {@link HeliconeSession#close()}.
   */
  public HeliconeSession start() {
    return new HeliconeSession(
        helicone, id != null ? id : UUID.randomUUID().toString(), name, userId, properties);
  }
}
