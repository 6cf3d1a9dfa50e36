package ai.helicone.internal.record;

import ai.helicone.internal.parse.Json;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.CapturedResponse;
import ai.helicone.spi.CapturedExchange;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/**
 * Read access, inside the SDK, to captured bytes that the public types keep private, so that a body
 * is neither copied from the exchange into the record nor decoded to text to be written. The arrays
 * returned must never be changed. Set by the owning classes' static initialisers, which have run
 * whenever an instance exists. Thread-safe.
 */
public final class RawBodies {
  private static volatile Function<CapturedResponse, byte[]> responseRaw;
  private static volatile Function<CapturedExchange, byte[]> exchangeResponse;

  private static volatile JsonAccess jsonAccess;

  private RawBodies() {}

  /** Access to JSON bodies whose validity the SDK checked itself. */
  public interface JsonAccess {
    /** A JSON body that the SDK parsed or wrote itself. */
    CapturedBody verified(String json);

    /** True when the body was made by {@link #verified}. */
    boolean isVerified(CapturedBody body);
  }

  /** Called once by {@link CapturedBody}. */
  public static void setJsonAccess(JsonAccess access) {
    jsonAccess = access;
  }

  /** A JSON body the SDK has just parsed or written itself: writers embed it without a check. */
  public static CapturedBody verifiedJson(String json) {
    JsonAccess access = jsonAccess;
    if (access == null) {
      CapturedBody.text(""); // initialises CapturedBody, which sets the access
      access = jsonAccess;
    }
    return access.verified(json);
  }

  /**
   * A body the SDK writes itself from a tree (a stream's rebuilt message), embedded without a
   * check; null in the unlikely case that it cannot be written.
   */
  public static CapturedBody writtenJson(JsonNode tree) {
    try {
      return verifiedJson(Json.MAPPER.writeValueAsString(tree));
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** True when {@code body} was made by {@link #verifiedJson}. */
  public static boolean isVerifiedJson(CapturedBody body) {
    return jsonAccess.isVerified(body);
  }

  /** Called once by {@link CapturedResponse}. */
  public static void setAccess(Function<CapturedResponse, byte[]> access) {
    responseRaw = access;
  }

  /** Called once by {@link CapturedExchange}. */
  public static void setExchangeAccess(Function<CapturedExchange, byte[]> access) {
    exchangeResponse = access;
  }

  /** The raw stream of a response as UTF-8 bytes, or null. Do not change the array. */
  public static byte[] rawUtf8(CapturedResponse response) {
    return responseRaw.apply(response);
  }

  /** The captured response bytes of an exchange, or null. Do not change the array. */
  public static byte[] responseBytes(CapturedExchange exchange) {
    return exchangeResponse.apply(exchange);
  }
}
