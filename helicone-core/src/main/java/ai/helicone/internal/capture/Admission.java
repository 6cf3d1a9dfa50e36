package ai.helicone.internal.capture;

import java.io.IOException;

/**
 * Decides, on the calling thread and before anything is sent, whether a call may go out. A refusal
 * is thrown to the caller as the call's failure; the call is then neither sent nor recorded.
 */
@FunctionalInterface
public interface Admission {
  /** Admits everything. */
  Admission ALL = metadata -> {};

  /**
   * Returns normally when the call may be sent.
   *
   * @param metadata the call's metadata, as resolved for the capture
   * @throws IOException the refusal, thrown to the caller unchanged
   */
  void admit(Object metadata) throws IOException;
}
