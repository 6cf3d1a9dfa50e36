package ai.helicone;

import ai.helicone.internal.context.ContextSnapshot;
import ai.helicone.internal.context.ContextStorage;
import ai.helicone.internal.context.MetadataRules;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A started session, attached to the thread that started it: calls and traces made there until
 * {@link #close()} belong to it. Steps of the session are marked with {@link #path(String)}:
 *
 * <pre>{@code
 * try (HeliconeSession session = helicone.session("Document Analyzer").start()) {
 *   try (HeliconeScope step = session.path("/analyze");
 *       Response response = client.newCall(request).execute()) {
 *     String answer = response.body().string();
 *   }
 * }
 * }</pre>
 *
 * <p>To continue the session on other threads, wrap the work with {@link Helicone#wrap(Runnable)}
 * (or a wrapped executor) while the session is attached. {@link #close()} restores the previous
 * context and tells the exporters that the session ended. Thread-safe; {@link #path(String)}
 * attaches to the calling thread. Close the session on the thread that started it: closed on
 * another thread, it is reported as ended, but it stays attached to its own thread (the misplaced
 * close is logged).
 */
public final class HeliconeSession implements AutoCloseable {
  private final Helicone helicone;
  private final String id;
  private final String name;
  private final HeliconeScope scope;
  private final Thread owner = Thread.currentThread();
  private final AtomicBoolean closed = new AtomicBoolean();

  HeliconeSession(
      Helicone helicone, String id, String name, String userId, Map<String, String> properties) {
    this.helicone = helicone;
    this.id = id;
    this.name = name;
    ContextSnapshot.Builder b =
        ContextStorage.current().toBuilder().session(id, name).properties(properties);
    if (userId != null) {
      b.userId(userId);
    }
    this.scope = ContextStorage.attach(b.build(), helicone.diagnostics());
  }

  /** The session id. */
  public String id() {
    return id;
  }

  /** The session name. */
  public String name() {
    return name;
  }

  /**
   * Attaches a step of this session, such as {@code /analyze/summary}, to the current thread until
   * the returned scope is closed. The path is used as given; Helicone shows paths as a tree split
   * at {@code /}.
   */
  public HeliconeScope path(String path) {
    MetadataRules.requireText("session path", path);
    ContextSnapshot snapshot =
        ContextStorage.current().toBuilder().session(id, name).sessionPath(path).build();
    return ContextStorage.attach(snapshot, helicone.diagnostics());
  }

  /** Detaches the session and reports its end to the exporters. Later calls do nothing. */
  @Override
  public void close() {
    if (Thread.currentThread() != owner) {
      // The session stays attached to its own thread, which can still close it; ending it here
      // would leave that thread's later calls in a session the exporters were told had ended.
      if (!closed.get()) {
        helicone
            .diagnostics()
            .warn(
                "session-thread",
                "a Helicone session was closed on another thread than the one that started it;"
                    + " ignored. Close sessions on the thread that started them.");
      }
      return;
    }
    if (closed.compareAndSet(false, true)) {
      scope.close();
      helicone.sessionEnded(id, name);
    }
  }

  @Override
  public String toString() {
    return "HeliconeSession{id=" + id + ", name=" + name + '}';
  }
}
