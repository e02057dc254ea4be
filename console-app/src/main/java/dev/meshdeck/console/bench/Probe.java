package dev.meshdeck.console.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Waits until a path answers a plain {@code GET} with 200 (a proxy has its config, the route its endpoints). */
final class Probe {
    private Probe() {
    }

    static void awaitOk(String what, InetSocketAddress target, String host, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                String status = get(target, host);
                if (status.startsWith("HTTP/1.1 200")) {
                    return;
                }
                last = status;
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(what + " at " + target + " did not answer 200 within " + timeout + " (last: " + last + ")");
    }

    /** The status line of one request on a fresh connection. */
    private static String get(InetSocketAddress target, String host) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(target, 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /bench HTTP/1.1\r\nhost: " + host + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\r' && c != '\n') {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
