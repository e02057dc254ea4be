package dev.meshdeck.console.cli;

import dev.meshdeck.controller.bench.SimulatedSidecars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshdeck.controller.bench.SimulatedProxy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EventsCommandTest extends CliFixture {
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z";

    @Test
    void followsEventsUntilTheControllerStops() throws Exception {
        CommandLine cl = MeshdeckCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String api = apiAddress();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute("events", "--controller", api));
        await().until(() -> controller.openEventStreams() == 1);

        controlPlane.apply(List.of(source("bookinfo/destination-rule-all.yaml"), source("bookinfo/virtual-service-all-v1.yaml")),
                false, false);
        try (SimulatedSidecars sidecars = new SimulatedSidecars(controller.xdsPort())) {
            SimulatedProxy reviews = sidecars.connect("reviews", "v2", 9082, SimulatedProxy.Reviewer.ACCEPT_ALL);
            await().until(() -> out.toString().contains("PROXY_CONNECTED"));
            reviews.cancel();
            await().until(() -> out.toString().contains("PROXY_GONE"));
        }
        controller.close();

        assertThat(exit.join()).isZero();
        String node = SimulatedSidecars.nodeId("reviews", "v2");
        assertThat(out.toString().lines().toList()).satisfiesExactly(
                line -> assertThat(line).isEqualTo("following events from " + api + " (revision 0); Ctrl-C to stop"),
                line -> assertThat(line).matches(TIME + "  CONFIG_APPLIED  revision 1: applied destination-rule-all.yaml,"
                        + " virtual-service-all-v1.yaml \\(\\+8 ~0 -0\\)"),
                line -> assertThat(line).matches(TIME + "  PROXY_CONNECTED  " + node.replace(".", "\\.") + ": sidecar "
                        + node.replace(".", "\\.") + " \\(reviews\\.default\\) connected"),
                line -> assertThat(line).matches(TIME + "  PROXY_GONE  " + node.replace(".", "\\.") + ": sidecar "
                        + node.replace(".", "\\.") + " \\(reviews\\.default\\) gone: no stream for 200 ms"));
        assertThat(err.toString()).isEqualTo("the controller closed the event stream\n");
    }

    @Test
    void aControllerThatIsNotThereIsOneClearLine() throws IOException {
        String api = apiAddress();
        controller.close();
        Run r = runRaw("", "events", "--controller", api);
        assertThat(r).isEqualTo(new Run(1, "", "cannot reach controller at " + api
                + ": connection refused; start one with `meshdeck controller`\n"));
    }
}
