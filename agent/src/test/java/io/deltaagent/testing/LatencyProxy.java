package io.deltaagent.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP/1.1 proxy on 127.0.0.1 (port 0) in front of an S3 server that holds every request for a fixed delay
 * before passing it on, as a remote object store's round trip would, and counts the requests by kind.
 *
 * <p>It reads each request's head (request line and headers), waits {@code delay}, counts it, forwards the head and
 * then exactly the body the head announces ({@code Content-Length}, or the chunks of {@code Transfer-Encoding:
 * chunked}) without further delay: a large PUT is delayed once, not per TCP segment. Responses flow back untouched.
 * Each client connection gets one upstream connection, so keep-alive works (requests on one connection are
 * sequential in HTTP/1.1, and {@code Expect: 100-continue} passes through as is). The Host header is forwarded
 * unchanged, so AWS v4 signatures computed for the proxy's address verify at the server.
 *
 * <p>Kinds (path-style addressing, {@code /bucket/key}): {@code LIST} is a GET with {@code list-type} in the query or
 * on a bucket without a key; other GETs are {@code GET}; {@code HEAD}, {@code PUT}, {@code DELETE}, {@code POST} as
 * sent; anything else {@code OTHER}. It also counts the bytes the server sent back (status lines and headers
 * included, a few hundred bytes per response): what a client read over the network, for byte budgets.
 *
 * <p>Faults ({@link #inject}): for a share of the requests to one bucket (or to all), for a time window or until
 * {@link #clearFaults}, the proxy answers {@code 503 SlowDown} with S3's XML error body itself (the server never sees
 * the request), resets the client's connection (TCP RST, nothing answered), or holds the request for a latency spike
 * before passing it on. {@link #requestsTo} counts what clients sent per bucket, faulted or not, so a test sees a
 * client back off one bucket while it keeps reading another.
 */
public final class LatencyProxy implements Closeable {

    /** Request counts by kind and the response bytes so far, a point-in-time copy. */
    public record Counts(long get, long head, long list, long put, long delete, long post, long other, long responseBytes) {

        public long total() {
            return get + head + list + put + delete + post + other;
        }

        /** The same requests without the bytes sent back: for comparing request counts alone. */
        public Counts requestsOnly() {
            return new Counts(get, head, list, put, delete, post, other, 0);
        }

        /** The requests since {@code before}. */
        public Counts minus(Counts before) {
            return new Counts(get - before.get, head - before.head, list - before.list, put - before.put,
                    delete - before.delete, post - before.post, other - before.other, responseBytes - before.responseBytes);
        }

        public String toJson() {
            return String.format(Locale.ROOT, "{\"get\":%d,\"head\":%d,\"list\":%d,\"put\":%d,\"delete\":%d,\"post\":%d,"
                    + "\"other\":%d,\"total\":%d,\"responseBytes\":%d}", get, head, list, put, delete, post, other, total(),
                    responseBytes);
        }
    }

    private enum Kind { GET, HEAD, LIST, PUT, DELETE, POST, OTHER }

    /** What the proxy does to a request a fault rule picks. */
    public enum Fault {
        /** Answers {@code 503 Slow Down} with S3's {@code <Error><Code>SlowDown</Code>...} body and closes the connection. */
        SLOW_DOWN,
        /** Resets the client's connection (SO_LINGER 0): the client sees "connection reset". */
        RESET,
        /** Holds the request for the rule's extra latency, then passes it on. */
        LATENCY_SPIKE
    }

    /**
     * One fault: applies to a {@code share} of the requests for {@code bucket} (null: every bucket), until {@code until}
     * (null: until cleared). The share is exact and deterministic: of the first n requests the rule sees, floor(n x share)
     * are hit (share 0.25: the 4th, 8th, ...), so a test does not depend on luck.
     */
    public record FaultRule(Fault fault, String bucket, double share, Duration spike, java.time.Instant until,
                            java.util.concurrent.atomic.AtomicLong seen) {
        public FaultRule {
            java.util.Objects.requireNonNull(fault, "fault");
            if (share < 0 || share > 1) {
                throw new IllegalArgumentException("share is 0 to 1: " + share);
            }
            spike = spike == null ? Duration.ZERO : spike;
            seen = seen == null ? new java.util.concurrent.atomic.AtomicLong() : seen;
        }

        public FaultRule(Fault fault, String bucket, double share, Duration spike, java.time.Instant until) {
            this(fault, bucket, share, spike, until, null);
        }

        boolean applies(String requestBucket, java.time.Instant now) {
            if (bucket != null && !bucket.equals(requestBucket) || until != null && !now.isBefore(until)) {
                return false;
            }
            long n = seen.incrementAndGet();
            return (long) Math.floor(n * share) > (long) Math.floor((n - 1) * share);
        }
    }

    private final java.util.List<FaultRule> faults = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.Map<String, LongAdder> byBucket = new ConcurrentHashMap<>();
    private final java.util.Map<Fault, LongAdder> injected = new ConcurrentHashMap<>();

    private final URI upstream;
    private final long delayNanos;
    private final ServerSocket server;
    private final ExecutorService threads;
    private final LongAdder[] counts = new LongAdder[Kind.values().length];
    private final LongAdder responseBytes = new LongAdder();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger delaying = new AtomicInteger();
    private final AtomicInteger maxDelaying = new AtomicInteger();
    private volatile boolean closed;

    private LatencyProxy(URI upstream, Duration delay) throws IOException {
        this.upstream = upstream;
        this.delayNanos = delay.toNanos();
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
        this.server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "latency-proxy-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        threads.execute(this::accept);
    }

    /** Starts a proxy in front of {@code upstream} (http://host:port) that delays each request by {@code delay}. */
    public static LatencyProxy start(URI upstream, Duration delay) throws IOException {
        if (!"http".equals(upstream.getScheme())) {
            throw new IllegalArgumentException("only http upstreams: " + upstream);
        }
        return new LatencyProxy(upstream, delay);
    }

    /** Where clients connect instead of the upstream: http://127.0.0.1:PORT. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    public Duration delay() {
        return Duration.ofNanos(delayNanos);
    }

    public Counts counts() {
        return new Counts(c(Kind.GET), c(Kind.HEAD), c(Kind.LIST), c(Kind.PUT), c(Kind.DELETE), c(Kind.POST), c(Kind.OTHER),
                responseBytes.sum());
    }

    /** Client connections accepted so far (keep-alive: far fewer than requests). */
    public int connectionsAccepted() {
        return accepted.get();
    }

    /**
     * The most requests held in their delay at the same moment since the last {@link #resetMaxConcurrent}: n requests
     * delayed d each take at least n x d / this of wall time.
     */
    public int maxConcurrent() {
        return maxDelaying.get();
    }

    public void resetMaxConcurrent() {
        maxDelaying.set(0);
    }

    /**
     * From now on, {@code fault} hits a {@code share} (0 to 1) of the requests to {@code bucket} (null: every bucket) for
     * {@code window} (null: until {@link #clearFaults}). Rules add up; the first that applies to a request wins.
     */
    public void inject(Fault fault, String bucket, double share, Duration window) {
        inject(new FaultRule(fault, bucket, share, null, window == null ? null : java.time.Instant.now().plus(window)));
    }

    /** A latency spike: {@code extra} on top of the proxy's delay for a share of the requests to {@code bucket}. */
    public void injectSpike(Duration extra, String bucket, double share, Duration window) {
        inject(new FaultRule(Fault.LATENCY_SPIKE, bucket, share, extra, window == null ? null : java.time.Instant.now().plus(window)));
    }

    public void inject(FaultRule rule) {
        faults.add(rule);
    }

    public void clearFaults() {
        faults.clear();
    }

    /** Requests clients sent for {@code bucket} so far, faulted ones included. */
    public long requestsTo(String bucket) {
        LongAdder a = byBucket.get(bucket);
        return a == null ? 0 : a.sum();
    }

    /** Requests that {@code fault} hit so far. */
    public long injected(Fault fault) {
        LongAdder a = injected.get(fault);
        return a == null ? 0 : a.sum();
    }

    private FaultRule faultFor(String bucket) {
        java.time.Instant now = java.time.Instant.now();
        for (FaultRule r : faults) {
            if (r.applies(bucket, now)) {
                return r;
            }
        }
        return null;
    }

    private long c(Kind k) {
        return counts[k.ordinal()].sum();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            quietClose(s);
        }
        threads.shutdownNow();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            threads.execute(() -> serve(client));
        }
    }

    private void serve(Socket client) {
        Socket up = new Socket();
        open.add(client);
        open.add(up);
        try {
            client.setTcpNoDelay(true);
            up.setTcpNoDelay(true);
            up.connect(new InetSocketAddress(upstream.getHost(), upstream.getPort()), 10_000);
            InputStream upIn = up.getInputStream();
            OutputStream clientOut = client.getOutputStream();
            threads.execute(() -> pump(upIn, clientOut, up, client));
            InputStream in = new BufferedInputStream(client.getInputStream(), 64 * 1024);
            OutputStream upOut = up.getOutputStream();
            byte[] buf = new byte[64 * 1024];
            while (!closed) {
                byte[] head = readHead(in);
                if (head == null) {
                    break; // the client closed its connection between requests
                }
                Request r = Request.parse(head);
                byBucket.computeIfAbsent(r.bucket(), b -> new LongAdder()).increment();
                FaultRule fault = faultFor(r.bucket());
                if (fault != null) {
                    injected.computeIfAbsent(fault.fault(), f -> new LongAdder()).increment();
                }
                if (fault != null && fault.fault() == Fault.RESET) {
                    client.setSoLinger(true, 0);
                    break; // closing with linger 0 sends RST
                }
                if (fault != null && fault.fault() == Fault.SLOW_DOWN) {
                    slowDown(r, in, client.getOutputStream(), buf);
                    break; // Connection: close
                }
                maxDelaying.accumulateAndGet(delaying.incrementAndGet(), Math::max);
                try {
                    sleepNanos(delayNanos + (fault == null ? 0 : fault.spike().toNanos()));
                } finally {
                    delaying.decrementAndGet();
                }
                counts[r.kind().ordinal()].increment();
                upOut.write(head);
                if (r.chunked()) {
                    copyChunked(in, upOut, buf);
                } else {
                    copyExactly(in, upOut, r.contentLength(), buf);
                }
                upOut.flush();
            }
        } catch (IOException | RuntimeException e) {
            // a connection reset or a malformed request ends this connection only
        } finally {
            quietClose(client);
            quietClose(up);
            open.remove(client);
            open.remove(up);
        }
    }

    /** S3's answer to a request over its rate: 503 with the SlowDown error document, after the request's body is read. */
    private static void slowDown(Request r, InputStream in, OutputStream out, byte[] buf) throws IOException {
        if (!r.expectContinue()) {
            // read what the client sends, so closing does not reset the connection before it reads the answer
            OutputStream discard = OutputStream.nullOutputStream();
            if (r.chunked()) {
                copyChunked(in, discard, buf);
            } else {
                copyExactly(in, discard, r.contentLength(), buf);
            }
        }
        String id = Long.toHexString(System.nanoTime()).toUpperCase(Locale.ROOT);
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
                + "<Message>Please reduce your request rate.</Message><RequestId>" + id + "</RequestId><HostId>latency-proxy</HostId>"
                + "</Error>").getBytes(StandardCharsets.UTF_8);
        boolean head = r.kind() == Kind.HEAD;
        String headers = "HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nx-amz-request-id: " + id
                + "\r\nContent-Length: " + (head ? 0 : body.length) + "\r\nConnection: close\r\n\r\n";
        synchronized (out) {
            out.write(headers.getBytes(StandardCharsets.ISO_8859_1));
            if (!head) {
                out.write(body);
            }
            out.flush();
        }
    }

    /** Copies responses back, counting their bytes, until either side closes, then closes both. */
    private void pump(InputStream from, OutputStream to, Socket a, Socket b) {
        byte[] buf = new byte[64 * 1024];
        try {
            int n;
            while ((n = from.read(buf)) >= 0) {
                responseBytes.add(n); // before the client can see them: a reading taken after a response includes it
                to.write(buf, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // reset: close both below
        } finally {
            quietClose(a);
            quietClose(b);
        }
    }

    private record Request(Kind kind, long contentLength, boolean chunked, String bucket, boolean expectContinue) {

        static Request parse(byte[] head) {
            String text = new String(head, StandardCharsets.ISO_8859_1);
            String[] lines = text.split("\r\n");
            String[] start = lines[0].split(" ");
            if (start.length < 2) {
                throw new IllegalArgumentException("not an HTTP request line: " + lines[0]);
            }
            long length = 0;
            boolean chunked = false;
            boolean expectContinue = false;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    length = Long.parseLong(value);
                } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                } else if (name.equals("expect") && value.toLowerCase(Locale.ROOT).contains("100-continue")) {
                    expectContinue = true;
                }
            }
            return new Request(kind(start[0], start[1]), length, chunked, bucket(start[1]), expectContinue);
        }

        /** The first path segment (path-style addressing), "" for the service root. */
        static String bucket(String target) {
            int q = target.indexOf('?');
            String path = q < 0 ? target : target.substring(0, q);
            String trimmed = path.startsWith("/") ? path.substring(1) : path;
            int slash = trimmed.indexOf('/');
            return slash < 0 ? trimmed : trimmed.substring(0, slash);
        }

        static Kind kind(String method, String target) {
            switch (method) {
                case "GET": {
                    int q = target.indexOf('?');
                    String path = q < 0 ? target : target.substring(0, q);
                    String query = q < 0 ? "" : target.substring(q + 1);
                    String trimmed = path.startsWith("/") ? path.substring(1) : path;
                    boolean bucketOnly = !trimmed.isEmpty() && (trimmed.indexOf('/') < 0 || trimmed.indexOf('/') == trimmed.length() - 1);
                    return query.contains("list-type=") || bucketOnly ? Kind.LIST : Kind.GET;
                }
                case "HEAD":
                    return Kind.HEAD;
                case "PUT":
                    return Kind.PUT;
                case "DELETE":
                    return Kind.DELETE;
                case "POST":
                    return Kind.POST;
                default:
                    return Kind.OTHER;
            }
        }
    }

    /** The request head up to and including the blank line; null at a clean end of stream before any byte. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(1024);
        int state = 0; // how much of \r\n\r\n has been seen
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new EOFException("connection closed inside a request head");
            }
            head.write(b);
            if (head.size() > 64 * 1024) {
                throw new IOException("request head over 64 KiB");
            }
            state = switch (state) {
                case 0, 2 -> b == '\r' ? state + 1 : 0;
                case 1, 3 -> b == '\n' ? state + 1 : (b == '\r' ? 1 : 0);
                default -> 0;
            };
            if (state == 4) {
                return head.toByteArray();
            }
        }
    }

    private static void copyExactly(InputStream in, OutputStream out, long n, byte[] buf) throws IOException {
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new EOFException("connection closed inside a request body");
            }
            out.write(buf, 0, r);
            n -= r;
        }
    }

    /** Forwards a chunked body: size lines, data, and the trailer section up to its blank line. */
    private static void copyChunked(InputStream in, OutputStream out, byte[] buf) throws IOException {
        while (true) {
            String sizeLine = readLine(in, out);
            int semi = sizeLine.indexOf(';');
            long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                String trailer;
                do {
                    trailer = readLine(in, out);
                } while (!trailer.isEmpty());
                return;
            }
            copyExactly(in, out, size, buf);
            readLine(in, out); // the CRLF after the data
        }
    }

    /** Reads one CRLF-terminated line, forwarding its bytes; returns it without the CRLF. */
    private static String readLine(InputStream in, OutputStream out) throws IOException {
        StringBuilder line = new StringBuilder();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside a chunked body");
            }
            out.write(b);
            if (prev == '\r' && b == '\n') {
                line.setLength(line.length() - 1);
                return line.toString();
            }
            line.append((char) b);
            prev = b;
        }
    }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void quietClose(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
