package ai.helicone.export.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class HttpDeliveryTest {
  @Test
  void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
    assertThat(HttpDelivery.parseRetryAfter("7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(HttpDelivery.parseRetryAfter(" 0 ")).isEqualTo(Duration.ZERO);
    String inOneMinute =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60));
    assertThat(HttpDelivery.parseRetryAfter(inOneMinute))
        .isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60));
    assertThat(HttpDelivery.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"))
        .isEqualTo(Duration.ZERO);
    assertThat(HttpDelivery.parseRetryAfter("3600")).isEqualTo(Duration.ofMinutes(5));
    assertThat(HttpDelivery.parseRetryAfter("soon")).isNull();
    assertThat(HttpDelivery.parseRetryAfter(null)).isNull();
  }
}
