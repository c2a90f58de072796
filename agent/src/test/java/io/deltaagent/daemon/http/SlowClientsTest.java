package io.deltaagent.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.testing.DaemonProcess;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HistoryDb;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's HTTP surface against clients that never finish their requests, and wrong paths and methods: a real
 * daemon process, raw sockets on loopback.
 */
class SlowClientsTest {

    @TempDir
    Path tmp;

    @Test
    void halfSentRequestsDoNotStarveTheProbesAndAreClosedAfterTheRequestTimeout() throws Exception {
        Path lake = Files.createDirectories(tmp.resolve("lake"));
        Fixtures.copy("spark_optimized", lake);
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, """
                defaults:
                  audit-schedule: "0 0 0 1 1 ? 2099"
                discover: [%s]
                daemon:
                  http-address: 127.0.0.1:0
                  instance-id: slow-clients
                """.formatted(lake));
        try (DaemonProcess daemon = DaemonProcess.start("daemon", tmp, config, HistoryDb.h2(tmp),
                tmp.resolve("jobs"), Map.of(), null)) {
            URI base = daemon.get("/healthz", null).uri();
            List<Socket> slow = new ArrayList<>();
            try {
                // more stuck clients than the old server had threads (2): each sends half a request and waits
                for (int i = 0; i < 4; i++) {
                    Socket s = new Socket(base.getHost(), base.getPort());
                    OutputStream out = s.getOutputStream();
                    out.write("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    slow.add(s);
                }
                Thread.sleep(300);
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
                for (String probe : List.of("/healthz", "/readyz")) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve(probe)).timeout(Duration.ofSeconds(5))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    long millis = (System.nanoTime() - t0) / 1_000_000;
                    assertThat(r.statusCode()).isIn(200, 503);
                    assertThat(millis).as(probe + " answered beside 4 stuck clients").isLessThan(1000);
                }
                // the server closes a request that has not arrived after its request timeout (5 s)
                Socket first = slow.get(0);
                first.setSoTimeout(15_000);
                long t0 = System.nanoTime();
                InputStream in = first.getInputStream();
                int read;
                try {
                    read = in.read();
                } catch (java.net.SocketException e) {
                    read = -1; // reset: closed as well
                }
                assertThat(read).as("the stuck connection is closed, not answered").isEqualTo(-1);
                assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(12_000);
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }

            HttpResponse<String> missing = daemon.get("/nope", null);
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(missing.body()).contains("\"status\":404").contains("no such path: /nope");
            HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/metrics"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
            assertThat(post.body()).contains("POST is not allowed on /metrics");
        }
    }
}
