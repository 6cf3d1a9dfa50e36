package ai.helicone.internal.context;

import ai.helicone.HeliconeScope;
import ai.helicone.internal.Diagnostics;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The current thread's {@link ContextSnapshot}, as a stack of attached scopes. A thread with no
 * scope holds no thread-local value at all, so nothing is left behind on pooled threads once every
 * scope is closed. Thread-safe.
 */
public final class ContextStorage {
  private static final ThreadLocal<Frame> CURRENT = new ThreadLocal<>();

  private ContextStorage() {}

  /** The snapshot in effect on this thread; {@link ContextSnapshot#EMPTY} when none. */
  public static ContextSnapshot current() {
    Frame top = CURRENT.get();
    return top == null ? ContextSnapshot.EMPTY : top.snapshot;
  }

  /** Makes {@code snapshot} current on this thread until the returned scope is closed. */
  public static HeliconeScope attach(ContextSnapshot snapshot, Diagnostics diagnostics) {
    Frame frame = new Frame(snapshot, CURRENT.get(), diagnostics);
    CURRENT.set(frame);
    return frame;
  }

  private static void restore(Frame frame) {
    if (frame == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(frame);
    }
  }

  private static final class Frame implements HeliconeScope {
    final ContextSnapshot snapshot;
    final Frame parent;
    final Thread owner = Thread.currentThread();
    final Diagnostics diagnostics;
    final AtomicBoolean closed = new AtomicBoolean();
    // Set when an enclosing scope was closed first and took this one off the stack with it.
    volatile boolean detached;

    Frame(ContextSnapshot snapshot, Frame parent, Diagnostics diagnostics) {
      this.snapshot = snapshot;
      this.parent = parent;
      this.diagnostics = diagnostics;
    }

    @Override
    public void close() {
      if (Thread.currentThread() != owner) {
        // Another thread's storage cannot be changed from here; the scope stays open so that its
        // own thread can still close it.
        if (!closed.get()) {
          diagnostics.warn(
              "scope-thread",
              "a Helicone scope was closed on another thread than the one it was attached on;"
                  + " ignored. Close scopes on the thread that opened them.");
        }
        return;
      }
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      Frame top = CURRENT.get();
      if (top == this) {
        restore(parent);
        return;
      }
      for (Frame f = top; f != null; f = f.parent) {
        if (f == this) {
          diagnostics.warn(
              "scope-order",
              "Helicone scopes were closed out of order; the scopes attached after the closed one"
                  + " were closed with it. Close scopes in reverse order (try-with-resources).");
          for (Frame inner = top; inner != this; inner = inner.parent) {
            inner.detached = true;
          }
          restore(parent);
          return;
        }
      }
      if (!detached) {
        diagnostics.warn(
            "scope-missing", "a Helicone scope was closed that is no longer attached; ignored");
      }
    }

    @Override
    public String toString() {
      return "HeliconeScope{" + snapshot + '}';
    }
  }
}
