package ai.helicone.internal.capture;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Notices response bodies that the application dropped without reading them to the end or closing
 * them, so that their calls still complete. Does what a {@link java.lang.ref.Cleaner} does, with a
 * concurrent set instead of the cleaner's single locked list, which every response of every thread
 * would otherwise queue on; and a body that completes normally is unregistered at once, so the
 * collector has nothing left to report for it. One daemon thread, started with the first body.
 * Thread-safe.
 */
final class UnclosedBodies {
  private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
  // Keeps the references themselves reachable until their body is collected or completes.
  private static final Set<Watch> WATCHED = ConcurrentHashMap.newKeySet();

  static {
    Thread reaper = new Thread(UnclosedBodies::reap, "helicone-unclosed-bodies");
    reaper.setDaemon(true);
    reaper.start();
  }

  private UnclosedBodies() {}

  /**
   * Watches {@code body}: if it becomes unreachable before {@link Watch#done()} is called, {@code
   * recorder.neverClosed()} runs on the watcher's thread. The recorder must not reference the body.
   */
  static Watch watch(Object body, ExchangeRecorder recorder) {
    Watch watch = new Watch(body, recorder);
    WATCHED.add(watch);
    return watch;
  }

  private static void reap() {
    while (true) {
      try {
        Watch watch = (Watch) QUEUE.remove();
        if (WATCHED.remove(watch)) {
          watch.recorder.neverClosed();
        }
      } catch (InterruptedException e) {
        // A daemon thread of the SDK: nobody else interrupts it; keep watching.
      } catch (RuntimeException | LinkageError e) {
        // neverClosed() contains its own failures; nothing here may end the thread.
      }
    }
  }

  /** The registration of one body. */
  static final class Watch extends PhantomReference<Object> {
    private final ExchangeRecorder recorder;

    private Watch(Object body, ExchangeRecorder recorder) {
      super(body, QUEUE);
      this.recorder = recorder;
    }

    /** The body's call completed: nothing to report when it is collected. */
    void done() {
      if (WATCHED.remove(this)) {
        clear();
      }
    }
  }
}
