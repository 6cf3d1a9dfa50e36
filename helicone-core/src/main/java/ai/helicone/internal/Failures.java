package ai.helicone.internal;

/**
 * Which failures of an adapter or exporter the SDK contains.
 *
 * <p>Everything is contained (counted, logged redacted, the work item given up) except a {@link
 * VirtualMachineError} other than {@link StackOverflowError}: after an {@link OutOfMemoryError},
 * {@link InternalError} or {@link UnknownError} the JVM's state is suspect and the application must
 * see the error, so it is rethrown after counting. A stack overflow unwinds cleanly and only means
 * that one input was too deep for one component, so it is contained like any other failure.
 */
public final class Failures {
  private Failures() {}

  /** True for a failure the SDK must not swallow. */
  public static boolean isFatal(Throwable t) {
    return t instanceof VirtualMachineError && !(t instanceof StackOverflowError);
  }

  /** Rethrows {@code t} when it is {@linkplain #isFatal fatal}; otherwise does nothing. */
  public static void rethrowIfFatal(Throwable t) {
    if (isFatal(t)) {
      throw (VirtualMachineError) t;
    }
  }
}
