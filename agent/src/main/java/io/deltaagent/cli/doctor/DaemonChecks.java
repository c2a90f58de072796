package io.deltaagent.cli.doctor;

import io.deltaagent.config.DaemonSettings;
import io.deltaagent.daemon.http.BearerToken;
import io.deltaagent.error.DeltaAgentException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The daemon's HTTP bearer token (present, and where from; never its value) and its port (free, or a daemon's). */
public final class DaemonChecks {

    private final Map<String, String> env;

    public DaemonChecks(Map<String, String> env) {
        this.env = env;
    }

    public List<Check> check(DaemonSettings daemon) {
        return List.of(token(daemon), port(daemon.httpAddress()));
    }

    private Check token(DaemonSettings daemon) {
        String name = "daemon token";
        String token;
        try {
            token = BearerToken.resolve(daemon, env);
        } catch (DeltaAgentException e) {
            return Check.fail(name, e.getMessage(), "set the variable or write the file that daemon.http-token-env or "
                    + "daemon.http-token-file names (a token of your choice), or remove that setting");
        }
        if (token == null) {
            return Check.warn(name, "none configured: /metrics and /api answer anyone who reaches " + daemon.httpAddress(),
                    "set daemon.http-token-env (a variable holding a token) or daemon.http-token-file");
        }
        return Check.ok(name, "present (" + token.length() + " characters), from " + (daemon.httpTokenEnv() != null
                ? "the environment variable " + daemon.httpTokenEnv() : "the file " + daemon.httpTokenFile()));
    }

    private Check port(String address) {
        String name = "daemon port";
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon).replaceAll("^\\[|\\]$", "");
        int port = Integer.parseInt(address.substring(colon + 1));
        if (port == 0) {
            return Check.ok(name, address + ": any free port");
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return Check.ok(name, address + " is free");
        } catch (IOException e) {
            // in use: by a daemon (it answers /healthz) or by something else
            String probe = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
            if (answersHealthz(probe, port)) {
                return Check.ok(name, address + " is in use by a running delta-agent daemon (it answers /healthz)");
            }
            return Check.fail(name, address + " is in use by another program (" + e.getMessage() + ")",
                    "stop that program, or choose another port with daemon.http-address");
        }
    }

    private static boolean answersHealthz(String host, int port) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + (host.contains(":") ? "[" + host + "]"
                    : host) + ":" + port + "/healthz")).timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
