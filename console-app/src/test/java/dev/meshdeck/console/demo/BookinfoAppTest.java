package dev.meshdeck.console.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Bookinfo workloads wired directly to each other (no sidecars): what each answers and calls. */
class BookinfoAppTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<BookinfoApp> apps = new ArrayList<>();

    @AfterEach
    void stop() {
        apps.forEach(BookinfoApp::close);
    }

    @Test
    void productpageAssemblesDetailsAndReviewsWhichCallRatings() throws Exception {
        Map<BookinfoService, BookinfoApp> started = startDirect(BookinfoService.REVIEWS_V3);

        HttpResponse<String> page = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + started.get(BookinfoService.PRODUCTPAGE).port() + "/productpage"))
                .header("end-user", "jason").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("\"service\":\"productpage\"", "\"author\":\"William Shakespeare\"",
                "\"stars\":\"red\"", "\"ratings\":{\"Reviewer1\":5");
    }

    @Test
    void aFailingDependencyIsReportedInTheAnswerNotHidden() throws Exception {
        Map<BookinfoService, BookinfoApp> started = startDirect(BookinfoService.REVIEWS_V2);
        started.get(BookinfoService.RATINGS).close();

        HttpResponse<String> reviews = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + started.get(BookinfoService.REVIEWS_V2).port() + "/reviews/0")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(reviews.statusCode()).isEqualTo(200);
        assertThat(reviews.body()).contains("\"ratings\":{\"error\":\"connectexception\"}");
    }

    /** Starts every workload but the other reviews versions, each calling the others directly. */
    private Map<BookinfoService, BookinfoApp> startDirect(BookinfoService reviews) throws Exception {
        Map<BookinfoService, BookinfoApp> started = new EnumMap<>(BookinfoService.class);
        Map<String, Integer> ports = new java.util.concurrent.ConcurrentHashMap<>();
        for (BookinfoService role : List.of(BookinfoService.RATINGS, BookinfoService.DETAILS, reviews,
                BookinfoService.PRODUCTPAGE)) {
            BookinfoApp app = BookinfoApp.start(role, 0,
                    service -> URI.create("http://127.0.0.1:" + ports.getOrDefault(service, 1)), client);
            apps.add(app);
            started.put(role, app);
            ports.put(role.service(), app.port());
        }
        return started;
    }
}
