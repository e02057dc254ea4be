package dev.meshdeck.dataplane.route;

import static dev.meshdeck.dataplane.route.Routes.catchAll;
import static dev.meshdeck.dataplane.route.Routes.get;
import static dev.meshdeck.dataplane.route.Routes.header;
import static dev.meshdeck.dataplane.route.Routes.prefix;
import static dev.meshdeck.dataplane.route.Routes.to;
import static dev.meshdeck.dataplane.route.Routes.vhost;
import static dev.meshdeck.dataplane.route.Routes.weighted;
import static dev.meshdeck.dataplane.route.Routes.withQuery;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.config.Route;
import dev.meshdeck.dataplane.config.RouteMatch;
import dev.meshdeck.dataplane.config.RouteTable;
import dev.meshdeck.dataplane.config.StringMatcher;
import dev.meshdeck.dataplane.config.VirtualHost;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DefaultRouterTest {
    private final DefaultRouter router = new DefaultRouter(new Random(42));

    private static RouteTable table(VirtualHost... hosts) {
        return new RouteTable("outbound", List.of(hosts));
    }

    private String clusterFor(RouteTable table, RequestHead request) {
        RouteResult result = router.route(table, request);
        assertThat(result).isInstanceOf(RouteResult.Forward.class);
        return ((RouteResult.Forward) result).cluster();
    }

    private String virtualHostFor(RouteTable table, String host) {
        RouteResult result = router.route(table, get(host, "/"));
        assertThat(result).isInstanceOf(RouteResult.Forward.class);
        return ((RouteResult.Forward) result).virtualHost().name();
    }

    // --- virtual hosts

    @Test
    void exactDomainBeatsWildcard() {
        RouteTable t = table(
                vhost("wild", List.of("*.example.com"), catchAll("wild")),
                vhost("exact", List.of("api.example.com"), catchAll("exact")),
                vhost("any", List.of("*"), catchAll("any")));

        assertThat(virtualHostFor(t, "api.example.com")).isEqualTo("exact");
        assertThat(virtualHostFor(t, "web.example.com")).isEqualTo("wild");
        assertThat(virtualHostFor(t, "other.org")).isEqualTo("any");
    }

    @Test
    void theLongestSuffixWildcardWins() {
        RouteTable t = table(
                vhost("short", List.of("*.com"), catchAll("short")),
                vhost("long", List.of("*.example.com"), catchAll("long")));

        assertThat(virtualHostFor(t, "a.example.com")).isEqualTo("long");
        assertThat(virtualHostFor(t, "a.other.com")).isEqualTo("short");
    }

    @Test
    void suffixWildcardsComeBeforePrefixWildcards() {
        RouteTable t = table(
                vhost("prefix", List.of("reviews.*"), catchAll("prefix")),
                vhost("suffix", List.of("*.svc"), catchAll("suffix")));

        assertThat(virtualHostFor(t, "reviews.svc")).isEqualTo("suffix");
        assertThat(virtualHostFor(t, "reviews.default")).isEqualTo("prefix");
    }

    @Test
    void aWildcardMatchesAtLeastOneCharacter() {
        RouteTable t = table(vhost("wild", List.of("*.example.com"), catchAll("wild")));

        assertThat(router.route(t, get("example.com", "/"))).isInstanceOf(RouteResult.NoVirtualHost.class);
        assertThat(router.route(t, get(".example.com", "/"))).isInstanceOf(RouteResult.NoVirtualHost.class);
    }

    @Test
    void domainsMatchIgnoringCase() {
        RouteTable t = table(vhost("reviews", List.of("Reviews.Default"), catchAll("reviews")));

        assertThat(virtualHostFor(t, "REVIEWS.default")).isEqualTo("reviews");
    }

    @Test
    void theHostWithItsPortIsTriedBeforeTheHostWithout() {
        RouteTable t = table(
                vhost("plain", List.of("reviews"), catchAll("plain")),
                vhost("port", List.of("reviews:9080"), catchAll("port")));

        assertThat(virtualHostFor(t, "reviews:9080")).isEqualTo("port");
        assertThat(virtualHostFor(t, "reviews:8080")).isEqualTo("plain");
        assertThat(virtualHostFor(t, "reviews")).isEqualTo("plain");
    }

    @Test
    void aHostWithAPortFindsItsVirtualHostBeforeTheCatchAll() {
        RouteTable t = table(
                vhost("any", List.of("*"), catchAll("any")),
                vhost("reviews", List.of("reviews"), catchAll("reviews")));

        assertThat(virtualHostFor(t, "reviews:9080")).isEqualTo("reviews");
    }

    @Test
    void ipv6HostsLoseOnlyTheirPort() {
        RouteTable t = table(vhost("v6", List.of("[::1]"), catchAll("v6")));

        assertThat(virtualHostFor(t, "[::1]:9080")).isEqualTo("v6");
    }

    @Test
    void anUnknownHostIsNoVirtualHostNamingTheHost() {
        RouteTable t = table(vhost("reviews", List.of("reviews"), catchAll("reviews")));

        assertThat(router.route(t, get("ratings:9080", "/"))).isEqualTo(new RouteResult.NoVirtualHost("ratings:9080"));
    }

    // --- routes

    @Test
    void headerMatchRoutesToV3() {
        RouteTable t = table(vhost("reviews", List.of("reviews"),
                to("jason", prefix("/", header("end-user", "jason")), "reviews-v3"),
                catchAll("reviews-v1")));

        assertThat(clusterFor(t, get("reviews", "/reviews/1", Map.of("End-User", List.of("jason"))))).isEqualTo("reviews-v3");
        assertThat(clusterFor(t, get("reviews", "/reviews/1", Map.of("end-user", List.of("kate"))))).isEqualTo("reviews-v1");
        assertThat(clusterFor(t, get("reviews", "/reviews/1"))).isEqualTo("reviews-v1");
    }

    @Test
    void theFirstMatchingRouteWins() {
        RouteTable t = table(vhost("svc", List.of("svc"),
                to("api", prefix("/api"), "first"),
                to("api-v2", prefix("/api/v2"), "second")));

        assertThat(clusterFor(t, get("svc", "/api/v2/things"))).isEqualTo("first");
    }

    @Test
    void pathMatchersIgnoreTheQueryString() {
        var exact = new RouteMatch(new RouteMatch.PathMatch(StringMatcher.of(StringMatcher.Kind.EXACT, "/login", false)),
                List.of(), List.of());
        var regex = new RouteMatch(new RouteMatch.PathMatch(StringMatcher.of(StringMatcher.Kind.REGEX, "/reviews/[0-9]+", false)),
                List.of(), List.of());
        RouteTable t = table(vhost("svc", List.of("svc"), to("exact", exact, "login"), to("regex", regex, "reviews")));

        assertThat(clusterFor(t, get("svc", "/login?next=/home"))).isEqualTo("login");
        assertThat(clusterFor(t, get("svc", "/reviews/42?x=1"))).isEqualTo("reviews");
        assertThat(router.route(t, get("svc", "/reviews/abc"))).isEqualTo(new RouteResult.NoRoute("svc", "/reviews/abc"));
    }

    @Test
    void methodAndAuthorityMatchAsPseudoHeaders() {
        RouteTable t = table(vhost("svc", List.of("*"),
                to("post", prefix("/", header(":method", "POST")), "writes"),
                to("auth", prefix("/", header(":authority", "svc.internal")), "internal"),
                catchAll("reads")));

        assertThat(clusterFor(t, new RequestHead("POST", "svc", "/", Map.of(), null))).isEqualTo("writes");
        assertThat(clusterFor(t, get("svc.internal", "/"))).isEqualTo("internal");
        assertThat(clusterFor(t, get("svc", "/"))).isEqualTo("reads");
    }

    @Test
    void anInvertedHeaderMatchTakesRequestsWithoutTheHeaderOrWithAnotherValue() {
        var notJason = new RouteMatch.HeaderMatch("end-user", StringMatcher.of(StringMatcher.Kind.EXACT, "jason", false), true);
        RouteTable t = table(vhost("svc", List.of("svc"), to("others", prefix("/", notJason), "others"), catchAll("jason")));

        assertThat(clusterFor(t, get("svc", "/"))).isEqualTo("others");
        assertThat(clusterFor(t, get("svc", "/", Map.of("end-user", List.of("kate"))))).isEqualTo("others");
        assertThat(clusterFor(t, get("svc", "/", Map.of("end-user", List.of("jason"))))).isEqualTo("jason");
    }

    @Test
    void aPresentMatchNeedsTheHeaderWithAnyValue() {
        var present = new RouteMatch.HeaderMatch("x-canary", null, false);
        var absent = new RouteMatch.HeaderMatch("x-canary", null, true);
        RouteTable t = table(vhost("svc", List.of("svc"), to("canary", prefix("/", present), "canary"),
                to("stable", prefix("/", absent), "stable")));

        assertThat(clusterFor(t, get("svc", "/", Map.of("x-canary", List.of(""))))).isEqualTo("canary");
        assertThat(clusterFor(t, get("svc", "/"))).isEqualTo("stable");
    }

    @Test
    void aHeaderSentTwiceIsMatchedOnItsJoinedValues() {
        var both = new RouteMatch.HeaderMatch("x-tag", StringMatcher.of(StringMatcher.Kind.EXACT, "a,b", false), false);
        RouteTable t = table(vhost("svc", List.of("svc"), to("both", prefix("/", both), "both"), catchAll("other")));

        assertThat(clusterFor(t, get("svc", "/", Map.of("x-tag", List.of("a", "b"))))).isEqualTo("both");
    }

    @Test
    void queryParametersArePercentDecodedBeforeMatching() {
        var debug = new RouteMatch.QueryMatch("user", StringMatcher.of(StringMatcher.Kind.EXACT, "jason b", false));
        var present = new RouteMatch.QueryMatch("debug", null);
        RouteTable t = table(vhost("svc", List.of("svc"),
                to("user", withQuery(debug), "user"), to("debug", withQuery(present), "debug"), catchAll("other")));

        assertThat(clusterFor(t, get("svc", "/p?a=1&user=jason%20b"))).isEqualTo("user");
        assertThat(clusterFor(t, get("svc", "/p?debug"))).isEqualTo("debug");
        assertThat(clusterFor(t, get("svc", "/p?user=jason+b"))).isEqualTo("other");
        assertThat(clusterFor(t, get("svc", "/p"))).isEqualTo("other");
    }

    @Test
    void aVirtualHostWithoutAMatchingRouteIsNoRouteNamingHostAndPath() {
        RouteTable t = table(vhost("svc", List.of("svc"), to("api", prefix("/api"), "api")));

        assertThat(router.route(t, get("svc", "/web?x=1"))).isEqualTo(new RouteResult.NoRoute("svc", "/web"));
    }

    @Test
    void aRedirectRouteAnswersWithItsRedirect() {
        var redirect = new Route.Redirect(301, "new.example.com", "/moved");
        var route = new Route("old", prefix("/old"), null, redirect, null, null, null);
        RouteTable t = table(vhost("svc", List.of("svc"), route));

        RouteResult result = router.route(t, get("svc", "/old/page"));

        assertThat(result).isInstanceOf(RouteResult.Redirect.class);
        assertThat(((RouteResult.Redirect) result).redirect()).isEqualTo(redirect);
    }

    // --- weighted clusters

    @Test
    void anEightyTwentySplitOverTenThousandRequestsLandsWithinTwoPoints() {
        RouteTable t = table(vhost("reviews", List.of("reviews"), weighted("split", prefix("/"),
                new Route.WeightedCluster("v1", 80), new Route.WeightedCluster("v2", 20))));

        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            counts.merge(clusterFor(t, get("reviews", "/")), 1, Integer::sum);
        }

        assertThat(counts.get("v1") / 100.0).isBetween(78.0, 82.0);
    }

    @Test
    void weightsNeedNotAddUpToOneHundredAndZeroWeightsAreNeverChosen() {
        RouteTable t = table(vhost("reviews", List.of("reviews"), weighted("split", prefix("/"),
                new Route.WeightedCluster("v1", 1), new Route.WeightedCluster("v2", 0), new Route.WeightedCluster("v3", 3))));

        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            counts.merge(clusterFor(t, get("reviews", "/")), 1, Integer::sum);
        }

        assertThat(counts).doesNotContainKey("v2");
        assertThat(counts.get("v3") / 100.0).isBetween(73.0, 77.0);
    }

    @Test
    void theSameSeedRoutesTheSameWay() {
        RouteTable t = table(vhost("reviews", List.of("reviews"), weighted("split", prefix("/"),
                new Route.WeightedCluster("v1", 50), new Route.WeightedCluster("v2", 50))));
        var a = new DefaultRouter(new Random(9));
        var b = new DefaultRouter(new Random(9));

        for (int i = 0; i < 100; i++) {
            assertThat(a.route(t, get("reviews", "/"))).isEqualTo(b.route(t, get("reviews", "/")));
        }
    }

    @Test
    void aNewTableIsUsedAsSoonAsItIsPassed() {
        RouteTable before = table(vhost("reviews", List.of("reviews"), catchAll("v1")));
        RouteTable after = table(vhost("reviews", List.of("reviews"), catchAll("v2")));

        assertThat(clusterFor(before, get("reviews", "/"))).isEqualTo("v1");
        assertThat(clusterFor(after, get("reviews", "/"))).isEqualTo("v2");
        assertThat(clusterFor(before, get("reviews", "/"))).isEqualTo("v1");
    }
}
