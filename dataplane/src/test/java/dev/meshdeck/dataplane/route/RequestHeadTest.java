package dev.meshdeck.dataplane.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestHeadTest {
    private static final List<Map.Entry<String, String>> ARRIVED = List.of(
            Map.entry("Content-Type", "text/plain"), Map.entry("X-Forwarded-For", "10.0.0.1"),
            Map.entry("x-forwarded-for", "10.0.0.2"), Map.entry("End-User", "jason"));

    @Test
    void headersOfKeepsValuesByLowerCaseNameInArrivalOrder() {
        Map<String, List<String>> h = RequestHead.headersOf(ARRIVED);

        assertThat(h).containsOnlyKeys("content-type", "x-forwarded-for", "end-user");
        assertThat(h.get("x-forwarded-for")).containsExactly("10.0.0.1", "10.0.0.2");
        assertThatThrownBy(() -> h.put("x", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> h.get("end-user").add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aHeadMadeFromHeadersOfEqualsOneMadeFromAPlainMap() {
        RequestHead fromArrived = new RequestHead("GET", "reviews", "/r/1", RequestHead.headersOf(ARRIVED), "10.0.0.9");
        RequestHead fromMap = new RequestHead("GET", "reviews", "/r/1", Map.of("Content-Type", List.of("text/plain"),
                "X-Forwarded-For", List.of("10.0.0.1", "10.0.0.2"), "END-USER", List.of("jason")), "10.0.0.9");

        assertThat(fromArrived).isEqualTo(fromMap);
        assertThat(fromArrived.header("End-User")).contains("jason");
        assertThat(fromMap.header("x-forwarded-for")).contains("10.0.0.1");
    }
}
