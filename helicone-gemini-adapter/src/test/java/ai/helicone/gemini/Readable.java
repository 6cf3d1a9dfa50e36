package ai.helicone.gemini;

import ai.helicone.record.CapturedBody;
import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;

/** The readable response body of a parsed exchange, as a record's exporters obtain it. */
final class Readable {
  private Readable() {}

  static CapturedBody of(AdapterResult result, CapturedExchange exchange) {
    if (result.responseBody() != null) {
      return result.responseBody();
    }
    return result.responseBodyRebuilder() == null
        ? null
        : result.responseBodyRebuilder().apply(exchange.responseBodyStream());
  }
}
