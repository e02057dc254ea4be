package dev.meshdeck.dataplane.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.config.Route.HashPolicy;
import dev.meshdeck.dataplane.config.Route.HashPolicy.Kind;
import dev.meshdeck.dataplane.lb.XxHash64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HashKeysTest {

    private static RequestHead request(String path, Map<String, List<String>> headers) {
        return new RequestHead("GET", "reviews", path, headers, "10.1.2.3");
    }

    @Test
    void hashesAHeaderValueWithXxHash64() {
        var head = request("/", Map.of("x-user", List.of("jason")));

        assertThat(HashKeys.compute(List.of(new HashPolicy(Kind.HEADER, "X-User")), head))
                .isEqualTo(OptionalLong.of(XxHash64.hash("jason")));
    }

    @Test
    void theOrderOfRepeatedHeaderValuesDoesNotChangeTheHash() {
        var policy = List.of(new HashPolicy(Kind.HEADER, "x-user"));

        assertThat(HashKeys.compute(policy, request("/", Map.of("x-user", List.of("a", "b")))))
                .isEqualTo(HashKeys.compute(policy, request("/", Map.of("x-user", List.of("b", "a")))));
    }

    @Test
    void hashesACookieFromTheCookieHeader() {
        var head = request("/", Map.of("cookie", List.of("theme=dark; session=\"abc123\"; lang=en")));

        assertThat(HashKeys.compute(List.of(new HashPolicy(Kind.COOKIE, "session")), head))
                .isEqualTo(OptionalLong.of(XxHash64.hash("abc123")));
    }

    @Test
    void hashesTheSourceAddress() {
        assertThat(HashKeys.compute(List.of(new HashPolicy(Kind.SOURCE_IP, null)), request("/", Map.of())))
                .isEqualTo(OptionalLong.of(XxHash64.hash("10.1.2.3")));
    }

    @Test
    void hashesADecodedQueryParameter() {
        assertThat(HashKeys.compute(List.of(new HashPolicy(Kind.QUERY_PARAMETER, "user")), request("/p?user=j%61son", Map.of())))
                .isEqualTo(OptionalLong.of(XxHash64.hash("jason")));
    }

    @Test
    void theFirstPolicyThatFindsItsInputWins() {
        var policies = List.of(new HashPolicy(Kind.HEADER, "x-user"), new HashPolicy(Kind.COOKIE, "session"));
        var head = request("/", Map.of("cookie", List.of("session=s1")));

        assertThat(HashKeys.compute(policies, head)).isEqualTo(OptionalLong.of(XxHash64.hash("s1")));
    }

    @Test
    void noInputMeansNoHash() {
        var policies = List.of(new HashPolicy(Kind.HEADER, "x-user"), new HashPolicy(Kind.COOKIE, "session"));

        assertThat(HashKeys.compute(policies, request("/", Map.of("cookie", List.of("other=1"))))).isEmpty();
        assertThat(HashKeys.compute(List.of(), request("/", Map.of()))).isEmpty();
    }
}
