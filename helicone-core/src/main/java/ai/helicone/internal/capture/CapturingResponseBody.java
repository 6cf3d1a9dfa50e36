package ai.helicone.internal.capture;

import java.io.IOException;
import java.util.function.BooleanSupplier;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * A response body that passes the original bytes through unchanged while copying them, as the
 * caller reads them, into an {@link ExchangeRecorder}. Content type and length are the original's.
 * Whoever creates it calls {@link ExchangeRecorder#bodyStarts} with it, so that a body dropped
 * without being read to the end or closed still completes its call. Like any response body it is
 * meant for one reader at a time.
 */
final class CapturingResponseBody extends ResponseBody {
  private final ResponseBody delegate;
  private final BufferedSource source;

  CapturingResponseBody(
      ResponseBody delegate, ExchangeRecorder recorder, BooleanSupplier canceled) {
    this.delegate = delegate;
    this.source = Okio.buffer(new CapturingSource(delegate, recorder, canceled));
  }

  @Override
  public MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() {
    return delegate.contentLength();
  }

  @Override
  public BufferedSource source() {
    return source;
  }

  private static final class CapturingSource extends ForwardingSource {
    private final long contentLength;
    private final ExchangeRecorder recorder;
    private final BooleanSupplier canceled;

    CapturingSource(ResponseBody body, ExchangeRecorder recorder, BooleanSupplier canceled) {
      super(body.source());
      this.contentLength = body.contentLength();
      this.recorder = recorder;
      this.canceled = canceled;
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      long read;
      try {
        read = super.read(sink, byteCount);
      } catch (IOException | RuntimeException e) {
        recorder.readFailed(e, isCanceled());
        throw e;
      }
      if (read == -1) {
        recorder.endOfBody();
      } else if (read > 0) {
        recordQuietly(sink, read);
      }
      return read;
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        // A caller that read exactly the declared length and closed has read the whole body.
        if (contentLength >= 0 && recorder.bytesRead() >= contentLength) {
          recorder.endOfBody();
        } else {
          recorder.closedBeforeEnd();
        }
      }
    }

    private void recordQuietly(Buffer sink, long read) {
      try {
        recorder.bytesDelivered(sink, read);
      } catch (RuntimeException e) {
        recorder.captureFailed(e);
      }
    }

    private boolean isCanceled() {
      try {
        return canceled.getAsBoolean();
      } catch (RuntimeException e) {
        return false;
      }
    }
  }
}
