package ai.helicone.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class RedactionTest {

  @Test
  void secretHeadersAreRedactedWhateverTheirCase() {
    Headers headers =
        new Headers.Builder()
            .add("Authorization", "Bearer sk-1")
            .add("PROXY-AUTHORIZATION", "Basic abc")
            .add("api-key", "azure-key")
            .add("X-Api-Key", "anthropic-key")
            .add("x-goog-api-key", "gemini-key")
            .add("helicone-auth", "Bearer sk-helicone")
            .add("Cookie", "a=1")
            .add("Cookie", "b=2")
            .add("Set-Cookie", "c=3")
            .add("Accept", "application/json")
            .add("Accept", "text/plain")
            .build();

    assertThat(Redaction.redactHeaders(headers))
        .containsExactly(
            entry("authorization", Redaction.REDACTED),
            entry("proxy-authorization", Redaction.REDACTED),
            entry("api-key", Redaction.REDACTED),
            entry("x-api-key", Redaction.REDACTED),
            entry("x-goog-api-key", Redaction.REDACTED),
            entry("helicone-auth", Redaction.REDACTED),
            entry("cookie", Redaction.REDACTED),
            entry("set-cookie", Redaction.REDACTED),
            entry("accept", "application/json, text/plain"));
    assertThat(Redaction.isSecretHeader("AUTHORIZATION")).isTrue();
    assertThat(Redaction.isSecretHeader("Content-Type")).isFalse();
    assertThat(Redaction.isSecretHeader(null)).isFalse();
  }

  private static java.util.Map.Entry<String, String> entry(String key, String value) {
    return java.util.Map.entry(key, value);
  }

  @Test
  void secretQueryParametersAreRedactedAndEverythingElseKept() {
    HttpUrl url =
        HttpUrl.get(
            "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:"
                + "streamGenerateContent?alt=sse&key=AIza-secret&KEY=upper&api%5Fkey=encoded"
                + "&keyword=kept&access_token=tok&flag#frag");

    String redacted = Redaction.redactUrl(url);

    assertThat(redacted)
        .isEqualTo(
            "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:"
                + "streamGenerateContent?alt=sse&key=[REDACTED]&KEY=[REDACTED]"
                + "&api%5Fkey=[REDACTED]&keyword=kept&access_token=[REDACTED]&flag#frag");
    assertThat(redacted).doesNotContain("AIza-secret", "upper", "encoded", "tok&");
  }

  @Test
  void urlsWithoutSecretsAreUnchangedAndPasswordsAreRedacted() {
    HttpUrl plain = HttpUrl.get("http://127.0.0.1:8080/v1/chat/completions?stream=true");
    assertThat(Redaction.redactUrl(plain)).isEqualTo(plain.toString());
    HttpUrl noQuery = HttpUrl.get("https://api.openai.com/v1/responses");
    assertThat(Redaction.redactUrl(noQuery)).isEqualTo("https://api.openai.com/v1/responses");

    HttpUrl withPassword = HttpUrl.get("https://user:hunter2@example.com/path?key=k");
    assertThat(Redaction.redactUrl(withPassword))
        .isEqualTo("https://user:[REDACTED]@example.com/path?key=[REDACTED]");
  }

  @Test
  void secretsInFreeTextAreRedacted() {
    String text =
        "GET https://example.com/v1/models?alt=sse&key=query-secret-1&keyword=kept failed;\n"
            + "Authorization: Bearer auth-secret-2\n"
            + "x-goog-api-key: google-secret-3\n"
            + "retry with api_key=param-secret-4 (monkey=kept)";

    String redacted = Redaction.redactText(text);

    assertThat(redacted)
        .doesNotContain("secret")
        .contains("?alt=sse&key=[REDACTED]&keyword=kept failed;")
        .contains("Authorization: [REDACTED]")
        .contains("x-goog-api-key: [REDACTED]")
        .contains("api_key=[REDACTED] (monkey=kept)");
    assertThat(Redaction.redactText("nothing to hide: keyboard=1"))
        .isEqualTo("nothing to hide: keyboard=1");
    assertThat(Redaction.redactText(null)).isNull();
  }

  @Test
  void bearerTokensKeyShapesAndJwtsAreRedactedAnywhereInText() {
    String jwt =
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    String text =
        "401 Unauthorized: {\"error\":{\"message\":\"Incorrect API key provided:"
            + " sk-proj-AbCdEf0123456789xyzXYZ. You can find your key\"}}"
            + " sent Bearer abc.def-ghi_123 with x=sk-ant-api03-aaaaaaaaaaaaaaaaaaaa"
            + " helicone=sk-helicone-eu-abcdefg-hijklmn-opqrstu-vwxyz12"
            + " google AIzaSyA-1234567890abcdefghijklmnopqrs token "
            + jwt
            + " echoed {\"api-key\": \"azure-secret\", \"model\": \"gpt-4o\"}";

    String redacted = Redaction.redactText(text);

    assertThat(redacted)
        .doesNotContain("AbCdEf0123456789")
        .doesNotContain("abc.def-ghi_123")
        .doesNotContain("api03-aaaa")
        .doesNotContain("abcdefg-hijklmn")
        .doesNotContain("SyA-1234567890")
        .doesNotContain("eyJhbGci")
        .doesNotContain("azure-secret")
        .contains("Incorrect API key provided: [REDACTED]. You can find your key")
        .contains("Bearer [REDACTED]")
        .contains("\"api-key\": \"[REDACTED]\", \"model\": \"gpt-4o\"");
    // Words that merely start like a key stay.
    assertThat(Redaction.redactText("uses sk-learn and task-sk-1 and AIzawesome"))
        .isEqualTo("uses sk-learn and task-sk-1 and AIzawesome");
  }

  @Test
  void aBodysContentTypeComesLastAndRepeatedNamesKeepTheirFirstPlace() {
    Headers headers =
        new Headers.Builder()
            .add("X-Trace", "a")
            .add("Authorization", "Bearer sk-1")
            .add("x-trace", "b")
            .build();
    assertThat(Redaction.redactHeaders(headers, "application/json"))
        .containsExactly(
            entry("x-trace", "a, b"),
            entry("authorization", Redaction.REDACTED),
            entry("content-type", "application/json"));
    assertThat(Redaction.redactHeaders(headers, null)).doesNotContainKey("content-type");
  }
}
