package ai.helicone.internal.instrument;

import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.context.ContextCapturers;
import ai.helicone.internal.context.ContextSnapshot;
import ai.helicone.internal.context.ContextStorage;
import java.util.Map;
import java.util.WeakHashMap;
import okhttp3.Call;
import okhttp3.EventListener;

/**
 * Remembers the caller's context for each call at the moment it is created.
 *
 * <p>OkHttp creates a call's event listener inside {@code newCall}, on the thread that creates the
 * call, while interceptors of an {@code enqueue()}d call run later on a dispatcher thread. Wrapping
 * the client's {@link EventListener.Factory} is therefore the one place that sees the caller's
 * thread for every call, including clones. The original factory's listener is returned unchanged,
 * so that every event of every OkHttp version still reaches it. Entries are weakly keyed: a call
 * that is never executed leaves nothing behind. Thread-safe.
 */
public final class CallContexts implements EventListener.Factory {

  /** The caller's context and captured attributes for one call. */
  public record Captured(ContextSnapshot snapshot, Map<String, String> attributes) {}

  // The table is split into independently locked stripes: one lock for all calls made threads
  // queue behind each other on every newCall and every execute.
  private static final int STRIPES = 64;

  private final EventListener.Factory delegate;
  private final ContextCapturers capturers;
  private final Diagnostics diagnostics;
  private final Stripe[] stripes = new Stripe[STRIPES];

  public CallContexts(
      EventListener.Factory delegate, ContextCapturers capturers, Diagnostics diagnostics) {
    this.delegate = delegate;
    this.capturers = capturers;
    this.diagnostics = diagnostics;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe();
    }
  }

  @Override
  public EventListener create(Call call) {
    try {
      Captured captured = captureNow();
      Stripe stripe = stripeOf(call);
      synchronized (stripe) {
        stripe.byCall.put(call, captured);
      }
    } catch (RuntimeException | LinkageError e) {
      diagnostics.error("call-context", "could not capture the context of a call", e);
    }
    return delegate.create(call);
  }

  /** The context captured when {@code call} was created, removed from the table. */
  public Captured take(Call call) {
    Stripe stripe = stripeOf(call);
    Captured captured;
    synchronized (stripe) {
      captured = stripe.byCall.remove(call);
    }
    // A call created by another factory (or whose creation failed to capture) falls back to the
    // thread that runs it, which is the caller's thread for execute().
    return captured != null ? captured : captureNow();
  }

  private Stripe stripeOf(Call call) {
    int h = call.hashCode();
    return stripes[(h ^ (h >>> 16)) & (STRIPES - 1)];
  }

  private Captured captureNow() {
    return new Captured(ContextStorage.current(), capturers.capture());
  }

  private static final class Stripe {
    final Map<Call, Captured> byCall = new WeakHashMap<>();
  }
}
